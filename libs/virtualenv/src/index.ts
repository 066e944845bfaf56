export { makeVirtualenv, VirtualenvError } from './virtualenv';
export type { VirtualenvOptions } from './virtualenv';

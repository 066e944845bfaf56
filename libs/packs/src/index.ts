export { loadPack, loadPacks } from './pack-loader';
export type { LoadedPack, LoadedPacks } from './pack-loader';
export { loadActions } from './action-loader';
export type { ActionMetadata } from './action-metadata';
export type { PackMetadata } from './pack-metadata';
export { registerPack, registerPacks, summarizeRegistration } from './pack-registrar';
export type { PackRegistration, RegistrationReport } from './pack-registrar';
export { formatProblem } from './yaml-file';
export type { ContentProblem } from './yaml-file';

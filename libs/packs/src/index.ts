export { loadPack, loadPacks } from './pack-loader';
export type { LoadedPacks } from './pack-loader';
export type { PackMetadata } from './pack-metadata';
export { registerPacks } from './pack-registrar';
export type { RegistrationReport } from './pack-registrar';
export { formatProblem } from './yaml-file';
export type { ContentProblem } from './yaml-file';

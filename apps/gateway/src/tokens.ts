/** Injection tokens for the gateway's infrastructure providers. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const DATABASE = Symbol('DATABASE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
/** `{ cipher }`: the datastore key's, sealing secrets at rest (undefined without a key). */
export const SECRET_CIPHER = Symbol('SECRET_CIPHER');

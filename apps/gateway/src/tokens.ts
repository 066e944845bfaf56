/** Injection tokens for the gateway's infrastructure providers. */
export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const DATABASE = Symbol('DATABASE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

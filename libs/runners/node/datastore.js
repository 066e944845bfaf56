'use strict';
/* global fetch, AbortSignal, URLSearchParams */
// context.datastore for Node actions: StackStorm's action datastore API over
// the gateway's keys API (ST2_ACTION_API_URL), with the run's own token
// (ST2_ACTION_AUTH_TOKEN, acting as the execution's user). `local` keys, the
// default, are prefixed `<pack>.<action name>:` (the action's ref), as
// StackStorm prefixes a Python action's with `<pack>.<class name>:`.

const TIMEOUT_MS = 30_000;

/** A call the gateway refused or did not answer: `key` and `status` (undefined: no answer) say which and why. */
class DatastoreError extends Error {
  constructor(operation, key, status, message) {
    super(`context.datastore.${operation}: key "${key}": ${status === undefined ? message : `HTTP ${status}: ${message}`}`);
    this.name = 'DatastoreError';
    this.key = key;
    this.status = status;
  }
}

/**
 * get(name, {local, scope, decrypt}) resolves the value, or undefined for a
 * missing key; set(name, value, {ttl, local, scope, encrypt});
 * delete(name, {local, scope}) resolves whether the key existed;
 * list({local, prefix, scope, decrypt}) resolves the keys as the API lists
 * them (name, value, secret, encrypted, scope, user, expire_timestamp).
 * Scopes are `system` (the default) or `user`; any other failure rejects
 * with a DatastoreError.
 */
function createDatastore({ apiUrl, token, action }) {
  const api = (apiUrl ?? '').replace(/\/+$/, '');
  const keyName = (operation, name, local = true) => {
    if (!local) return String(name);
    if (!action) throw new DatastoreError(operation, name, undefined, "local keys need the action's ref");
    return `${action}:${name}`;
  };

  async function call(operation, key, method, name, { query = {}, body, missingOk = false } = {}) {
    if (!api || !token) throw new DatastoreError(operation, key, undefined, "the datastore needs ST2_ACTION_API_URL and ST2_ACTION_AUTH_TOKEN, which Tempest's worker sets for each run");
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')).toString();
    const url = `${api}/keys${name === undefined ? '' : `/${encodeURIComponent(name)}`}${search ? `?${search}` : ''}`;
    const headers = { 'X-Auth-Token': token, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) };
    let response;
    try {
      response = await fetch(url, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new DatastoreError(operation, key, undefined, `no answer from ${api}: ${error.cause?.message ?? error.message}`);
    }
    const text = await response.text();
    if (response.status === 404 && missingOk) return { found: false };
    if (!response.ok) throw new DatastoreError(operation, key, response.status, messageOf(text) ?? response.statusText);
    return { found: true, answer: text ? JSON.parse(text) : undefined };
  }

  return {
    async get(name, { local = true, scope = 'system', decrypt = false } = {}) {
      const key = keyName('get', name, local);
      const { found, answer } = await call('get', key, 'GET', key, { query: { scope, decrypt: String(decrypt) }, missingOk: true });
      return found ? answer.value : undefined;
    },
    async set(name, value, { ttl, local = true, scope = 'system', encrypt = false } = {}) {
      const key = keyName('set', name, local);
      if (typeof value === 'object' && value !== null) throw new DatastoreError('set', key, undefined, 'the value must be text: store objects with JSON.stringify');
      await call('set', key, 'PUT', key, { body: { name: key, value: String(value), scope, ...(encrypt ? { secret: true } : {}), ...(ttl ? { ttl } : {}) } });
    },
    async delete(name, { local = true, scope = 'system' } = {}) {
      const key = keyName('delete', name, local);
      return (await call('delete', key, 'DELETE', key, { query: { scope }, missingOk: true })).found;
    },
    async list({ local = true, prefix = '', scope = 'system', decrypt = false } = {}) {
      const keyPrefix = local ? keyName('list', prefix, true) : prefix;
      return (await call('list', `${keyPrefix}*`, 'GET', undefined, { query: { prefix: keyPrefix, scope, decrypt: String(decrypt) } })).answer;
    },
  };
}

/** The gateway's `message` (a text, or a list of problems). */
function messageOf(text) {
  try {
    const { message } = JSON.parse(text);
    return Array.isArray(message) ? message.join('; ') : message || undefined;
  } catch {
    return undefined;
  }
}

module.exports = { createDatastore, DatastoreError };

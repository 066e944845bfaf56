'use strict';
// Runs one Tempest Node action: node tempest_node_action.js <module file>.
// Reads {"parameters", "config", "context"} as JSON on stdin, calls the
// module's exported function (default export, `run`, or module.exports) with
// (parameters, context: executionId, pack, action, config, logger, datastore),
// and writes {"ok", "result"} or {"ok": false, "error", "stack"} as JSON to
// file descriptor 3, so the action's own console output stays its output.
const { readFileSync, writeSync } = require('node:fs');
const { createDatastore } = require('./datastore');
const { loadModule } = require('./load-module');

function load(file) {
  const exported = loadModule(file);
  const fn = typeof exported === 'function' ? exported : exported.default ?? exported.run;
  if (typeof fn !== 'function') throw new TypeError('the module must export a function (default export, run, or module.exports)');
  return fn;
}

function report(outcome) {
  writeSync(3, JSON.stringify(outcome));
}

async function main() {
  const request = JSON.parse(readFileSync(0, 'utf8'));
  const log = (level) => (...args) => process.stderr.write(`${new Date().toISOString()} ${level} ${args.join(' ')}\n`);
  const datastore = createDatastore({ apiUrl: process.env.ST2_ACTION_API_URL, token: process.env.ST2_ACTION_AUTH_TOKEN, action: request.context?.action });
  const context = { ...request.context, config: request.config ?? {}, logger: { debug: log('DEBUG'), info: log('INFO'), warn: log('WARNING'), error: log('ERROR') }, datastore };
  try {
    const result = await load(process.argv[2])(request.parameters ?? {}, context);
    report({ ok: true, result: result === undefined ? null : result });
  } catch (error) {
    report({ ok: false, error: `${error && error.name ? error.name : 'Error'}: ${error && error.message ? error.message : String(error)}`, traceback: error && error.stack });
    process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  }
}

main();

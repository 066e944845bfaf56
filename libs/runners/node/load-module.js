'use strict';
// Loads a pack's JavaScript or TypeScript module (TypeScript compiled by swc
// to CommonJS in memory), resolving its imports from its own folder. Shared by
// the nodejs action wrapper and the sensor container.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');

function loadModule(file) {
  let code = readFileSync(file, 'utf8');
  if (/\.[cm]?ts$/.test(file)) {
    code = require('@swc/core').transformSync(code, {
      filename: file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      swcrc: false,
    }).code;
  }
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(dirname(file));
  loaded._compile(code, file);
  return loaded.exports;
}

module.exports = { loadModule };

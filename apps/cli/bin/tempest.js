#!/usr/bin/env node
// The compiled CLI; `npm start` or `npx nx build cli` builds it.
require('../../../dist/apps/cli/src/main.js');

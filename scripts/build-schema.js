#!/usr/bin/env node
// Writes lib/identities.schema.json, the JSON Schema of a declarations file, from the compiled
// shape table (run by `npm run build` after tsc), so the published schema is the loader's rules.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const { declarationsJsonSchema } = require(path.join(root, 'lib', 'declarations', 'schema.js'));
fs.writeFileSync(path.join(root, 'lib', 'identities.schema.json'), `${JSON.stringify(declarationsJsonSchema(), null, 2)}\n`);

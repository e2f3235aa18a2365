#!/usr/bin/env node
// tsc compiles only TypeScript; the token-fetch script ships beside the compiled Job construct.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const assets = ['k8s/token-fetch.sh'];
for (const asset of assets) {
  const from = path.join(root, 'src', asset);
  if (!fs.existsSync(from)) continue;
  const to = path.join(root, 'lib', asset);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

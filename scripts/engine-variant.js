#!/usr/bin/env node
// Makes the CDK Terrain (`cdktn`) build of the Terraform side from the cdktf one: lib/terraform
// copied to lib/cdktn with only the engine module (src/terraform/engine.ts, the one file that
// names a core) swapped for one that loads `cdktn`. The constructs and the generated bindings
// are the same compiled files, so the two entry points cannot drift apart.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const from = path.join(root, 'lib', 'terraform');
const to = path.join(root, 'lib', 'cdktn');

// What tsc emits for `export * from 'cdktf';`, and the same for cdktn.
const SWAPS = {
  'engine.js': [/require\("cdktf"\)/g, 'require("cdktn")'],
  'engine.d.ts': [/from 'cdktf'/g, "from 'cdktn'"],
};

function fail(message) {
  process.stderr.write(`engine-variant: ${message}\n`);
  process.exit(1);
}

if (!fs.existsSync(path.join(from, 'engine.js'))) fail('lib/terraform/engine.js is missing; run tsc first');
fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true });

for (const [file, [pattern, replacement]] of Object.entries(SWAPS)) {
  const text = fs.readFileSync(path.join(from, file), 'utf8');
  const hits = text.match(pattern) ?? [];
  if (hits.length !== 1) fail(`lib/terraform/${file} should name cdktf exactly once, found ${hits.length}; has src/terraform/engine.ts changed?`);
  fs.writeFileSync(path.join(to, file), text.replace(pattern, replacement));
}

// Any other file that loads cdktf directly would tie the cdktn build to cdktf.
for (const entry of fs.readdirSync(to, { withFileTypes: true, recursive: true })) {
  if (!entry.isFile() || !/\.(js|d\.ts)$/.test(entry.name)) continue;
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  if (/require\("cdktf"\)|from 'cdktf'|from "cdktf"/.test(fs.readFileSync(file, 'utf8'))) {
    fail(`${path.relative(root, file)} loads cdktf directly; import the core from src/terraform/engine.ts instead`);
  }
}

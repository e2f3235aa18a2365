#!/usr/bin/env node
// `npm pack` and `npm publish` run this first: a clean build, so the tarball holds exactly what
// the current sources compile to (tsc never deletes the output of a removed or renamed file).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'lib'), { recursive: true, force: true });
// The build's output goes to stderr, so `npm pack --json` still prints only JSON on stdout.
const stdio = ['ignore', process.stderr, process.stderr];
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio, shell: process.platform === 'win32' });
process.exit(result.status ?? 1);

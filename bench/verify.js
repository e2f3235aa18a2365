// Checks that the baselines are fair: at a small N, plain cdk8s-plus-27 and the generated
// provider classes synthesize the same manifests and the same Terraform JSON as the library
// (object keys compared in sorted order; everything else exactly).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== 'manifest.json')
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .sort();
}

function read(file) {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : YAML.parseAllDocuments(text).map((d) => d.toJS());
}

/** The first difference between two JSON values, as a path and both values, or undefined. */
function firstDifference(a, b, at = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${at}/${k}`);
      if (d) return d;
    }
  }
  return `${at || '/'}: library ${JSON.stringify(a)?.slice(0, 200)}, baseline ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Synthesizes library and baseline for both sides at `n`; returns the differences (none when fair). */
function verify(n) {
  const problems = [];
  for (const side of ['k8s', 'terraform']) {
    const dirs = {};
    for (const who of ['library', 'plain']) {
      dirs[who] = fs.mkdtempSync(path.join(os.tmpdir(), `iks-workload-identity-verify-${side}-${who}-`));
      const r = spawnSync(process.execPath, [path.join(__dirname, 'child.js'), `${side}-${who}`, String(n), dirs[who]], { encoding: 'utf8' });
      if (r.status !== 0) problems.push(`${side}-${who} failed: ${r.stderr.trim().split('\n').slice(0, 5).join(' | ')}`);
    }
    const files = filesUnder(dirs.library);
    const plainFiles = filesUnder(dirs.plain);
    if (JSON.stringify(files) !== JSON.stringify(plainFiles)) {
      problems.push(`${side}: the library wrote ${files.join(', ')}; the baseline ${plainFiles.join(', ')}`);
    } else {
      for (const f of files) {
        const d = firstDifference(sortKeys(read(path.join(dirs.library, f))), sortKeys(read(path.join(dirs.plain, f))));
        if (d) problems.push(`${side} ${f} ${d}`);
      }
    }
    for (const dir of Object.values(dirs)) fs.rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

module.exports = { verify };

if (require.main === module) {
  const problems = verify(Number(process.argv[2] ?? 40));
  process.stdout.write(problems.length === 0 ? 'baselines synthesize the same output as the library\n' : `${problems.join('\n')}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}

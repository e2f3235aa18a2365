#!/usr/bin/env node
// `npm run bench [-- --json] [-- --sizes 250,1000 --reps 3]`: the library against plain
// cdk8s-plus-27 and the generated provider classes, both sides, at N = 250, 1,000 and 2,000
// identities; then the platform example with 1,000 identities as a user runs it, `check` over
// the platform example's outputs at 1,000 and 5,000 identities next to the time to synthesize
// them (--check-sizes, --check-reps), \`iks-workload-identity synth\` at 1,000, 2,000 and 10,000
// identities beside plain cdk8s-plus (--synth-sizes, --synth-reps; bench/synth.js), and what importing the root entry point costs. Every measurement runs in a fresh process; the table
// shows medians. With --json, the last line printed is one JSON object.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');
const { generateDeclarations, generatePlatformScaleDeclarations } = require('./data');
const { verify } = require('./verify');
const { benchSynth, synthTable } = require('./synth');

const ROOT = path.resolve(__dirname, '..');
const TARGETS = { ratio: 1.2, growth: 2.3, platformWallMs: 5000, platformRssMb: 400 };

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}
const JSON_OUT = process.argv.includes('--json');
const SIZES = option('sizes', '250,1000,2000').split(',').map(Number);
const REPS = Number(option('reps', '5'));
/** Repetitions at N >= 2,000 (--reps-large): lower it to shorten a run; 5 take about a minute on 2 cores. */
const REPS_LARGE = Math.min(REPS, Number(option('reps-large', '5')));
const PLATFORM_N = Number(option('platform-n', '1000'));
const PLATFORM_REPS = Number(option('platform-reps', '3'));
/** `iks-workload-identity check` over the platform example's outputs at these sizes (--check-sizes). */
const CHECK_SIZES = option('check-sizes', '1000,5000').split(',').map(Number);
const CHECK_REPS = Number(option('check-reps', '1'));
const VERIFY = !process.argv.includes('--no-verify');
/** The synth command at these sizes (--synth-sizes; empty skips it), each --synth-reps times. */
const SYNTH_SIZES = option('synth-sizes', '1000,2000,10000').split(',').filter(Boolean).map(Number);
const SYNTH_REPS = Number(option('synth-reps', '3'));
/** Repetitions of the synth command above 2,000 identities (--synth-reps-large): 10,000 take about a minute each. */
const SYNTH_REPS_LARGE = Math.min(SYNTH_REPS, Number(option('synth-reps-large', '1')));
const log = (line) => process.stderr.write(`${line}\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Every scratch directory of a run lives in one directory of its own, removed at the end.
let runDir;
const scratch = () => {
  runDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'iks-workload-identity-bench-'));
  return fs.mkdtempSync(path.join(runDir, 'out-'));
};

/** Runs `node bench/child.js <case> <n> <outdir>` in a fresh process; returns its JSON result. */
function child(which, n) {
  const outdir = scratch();
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'child.js'), which, String(n), outdir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${which} at N=${n} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * `check` at N identities: the platform example synthesizes both sides (`npm run synth:platform`,
 * timed), then `iks-workload-identity check` reads them from the working directory, as CI runs
 * it (timed, with its peak RSS). Each in a fresh process.
 */
function checkRun(n) {
  const dir = scratch();
  try {
    const file = path.join(dir, 'identities.yaml');
    // 5,000 identities of their own exceed one IAM account's 2,000 trusted profiles, which the
    // loader refuses: at every size, teams share a profile and get access by access group.
    fs.writeFileSync(file, YAML.stringify(generatePlatformScaleDeclarations(n)));
    const rssDir = path.join(dir, 'rss');
    const cpuDir = path.join(dir, 'cpu');
    fs.mkdirSync(rssDir);
    fs.mkdirSync(cpuDir);
    const env = { ...process.env, CI: '1', CDK8S_OUTDIR: path.join(dir, 'dist'), CDKTF_OUTDIR: path.join(dir, 'cdktf.out') };
    let t0 = process.hrtime.bigint();
    const synth = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'platform', 'synth.js'), file], { cwd: ROOT, encoding: 'utf8', env });
    const synthMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (synth.status !== 0) throw new Error(`platform synth at N=${n} failed:\n${synth.stderr}`);
    const probe = { ...env, IWI_BENCH_RSS_DIR: rssDir, IWI_BENCH_CPU_DIR: cpuDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'peak-rss-probe.js')}`.trim() };
    t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'cli', 'main.js'), 'check'], { cwd: dir, encoding: 'utf8', env: probe, maxBuffer: 1 << 26 });
    const checkMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`check at N=${n} exited ${r.status}:\n${r.stderr}${r.stdout.slice(-2000)}`);
    const objects = Number(/in (\d+) Kubernetes objects/.exec(r.stdout)?.[1]);
    const peakRssMb = fs.readdirSync(rssDir).map((f) => Number(fs.readFileSync(path.join(rssDir, f), 'utf8')) / 1024).reduce((a, b) => Math.max(a, b), 0);
    const checkCpuMs = fs.readdirSync(cpuDir).map((f) => Number(fs.readFileSync(path.join(cpuDir, f), 'utf8')) / 1000).reduce((a, b) => a + b, 0);
    return { synthMs, checkMs, checkCpuMs, peakRssMb, objects };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a compiled example program as a user does; returns its wall time, the peak RSS of each
 * of its node processes and their sum (as if all peaked at once: a bound on what it needs).
 */
function runProgram(script, file) {
  const dir = scratch();
  const rssDir = path.join(dir, 'rss');
  fs.mkdirSync(rssDir);
  try {
    const env = {
      ...process.env, CI: '1', IWI_BENCH_RSS_DIR: rssDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'peak-rss-probe.js')}`.trim(),
      CDK8S_OUTDIR: path.join(dir, 'k8s'), CDKTF_OUTDIR: path.join(dir, 'terraform'),
    };
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [script, file], { cwd: ROOT, encoding: 'utf8', env });
    const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${path.relative(ROOT, script)} failed:\n${r.stderr}`);
    const peaks = fs.readdirSync(rssDir).map((f) => Number(fs.readFileSync(path.join(rssDir, f), 'utf8')) / 1024);
    return { wallMs, peakRssMb: peaks.reduce((a, b) => a + b, 0), processes: peaks.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  for (const needed of ['lib/index.js', 'lib/k8s/index.js', 'lib/terraform/index.js', 'build/examples/platform/k8s.js']) {
    if (!fs.existsSync(path.join(ROOT, needed))) throw new Error(`${needed} is missing; run \`npm run build\` first (\`npm run bench\` does)`);
  }
  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  if (VERIFY) {
    log('checking that the baselines synthesize what the library does (N=40) ...');
    const unfair = verify(40);
    if (unfair.length > 0) throw new Error(`the baselines no longer synthesize what the library does:\n  ${unfair.join('\n  ')}`);
  }

  const rows = [];
  for (const n of SIZES) {
    const reps = n >= 2000 ? REPS_LARGE : REPS;
    for (const side of ['k8s', 'terraform']) {
      const runs = { library: [], plain: [] };
      for (let r = 0; r < reps; r++) {
        // Alternate which goes first, so neither always runs on a warmer machine.
        for (const who of r % 2 ? ['plain', 'library'] : ['library', 'plain']) runs[who].push(child(`${side}-${who}`, n));
      }
      const libraryMs = median(runs.library.map((x) => x.ms));
      const baselineMs = median(runs.plain.map((x) => x.ms));
      rows.push({
        side, n, libraryMs: Math.round(libraryMs), baselineMs: Math.round(baselineMs), ratio: round(libraryMs / baselineMs, 3),
        libraryCpuMs: Math.round(median(runs.library.map((x) => x.cpuMs))),
        baselineCpuMs: Math.round(median(runs.plain.map((x) => x.cpuMs))),
        peakRssMb: Math.round(median(runs.library.map((x) => x.peakRssMb))),
        baselinePeakRssMb: Math.round(median(runs.plain.map((x) => x.peakRssMb))),
        repetitions: reps,
      });
      log(`  ${side} N=${n}: library ${Math.round(libraryMs)} ms, plain ${Math.round(baselineMs)} ms (${reps} runs each)`);
    }
  }

  const row = (side, n) => rows.find((r) => r.side === side && r.n === n);
  // Growth from 1,000 to 2,000 identities (or between the two largest sizes measured).
  const [from, to] = SIZES.includes(1000) && SIZES.includes(2000) ? [1000, 2000] : [...SIZES].sort((a, b) => a - b).slice(-2);
  const growth = {};
  const baselineGrowth = {};
  const growthCpu = {};
  if (to !== undefined) {
    for (const side of ['k8s', 'terraform']) {
      growth[side] = round(row(side, to).libraryMs / row(side, from).libraryMs, 2);
      baselineGrowth[side] = round(row(side, to).baselineMs / row(side, from).baselineMs, 2);
      growthCpu[side] = round(row(side, to).libraryCpuMs / row(side, from).libraryCpuMs, 2);
    }
  }

  // The platform example as a user runs it: compiled JavaScript, reading a YAML file;
  // `npm run synth:platform` runs synth.js (both sides at once), each side also alone.
  const dir = scratch();
  const file = path.join(dir, 'identities.yaml');
  fs.writeFileSync(file, YAML.stringify(generateDeclarations(PLATFORM_N)));
  const program = (name) => path.join(ROOT, 'build', 'examples', 'platform', `${name}.js`);
  const platformRuns = [];
  try {
    for (let r = 0; r < PLATFORM_REPS; r++) {
      platformRuns.push({ both: runProgram(program('synth'), file), k8s: runProgram(program('k8s'), file), terraform: runProgram(program('terraform'), file) });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const med = (side, key) => Math.round(median(platformRuns.map((x) => x[side][key])));
  const platformExample = {
    n: PLATFORM_N,
    wallMs: med('both', 'wallMs'),
    peakRssMb: Math.round(Math.max(...platformRuns.map((x) => x.both.peakRssMb))),
    processes: platformRuns[0].both.processes,
    k8sWallMs: med('k8s', 'wallMs'),
    terraformWallMs: med('terraform', 'wallMs'),
    k8sPeakRssMb: med('k8s', 'peakRssMb'),
    terraformPeakRssMb: med('terraform', 'peakRssMb'),
  };
  log(`  platform example N=${PLATFORM_N}: ${platformExample.wallMs} ms, ${platformExample.peakRssMb} MB`);

  const check = CHECK_SIZES.map((n) => {
    const runs = Array.from({ length: CHECK_REPS }, () => checkRun(n));
    const row = {
      n, objects: runs[0].objects,
      synthMs: Math.round(median(runs.map((x) => x.synthMs))),
      checkMs: Math.round(median(runs.map((x) => x.checkMs))),
      checkCpuMs: Math.round(median(runs.map((x) => x.checkCpuMs))),
      checkPeakRssMb: Math.round(Math.max(...runs.map((x) => x.peakRssMb))),
      repetitions: CHECK_REPS,
    };
    log(`  check N=${n}: ${row.checkMs} ms, CPU ${row.checkCpuMs} ms (synthesis of the same outputs ${row.synthMs} ms), ${row.checkPeakRssMb} MB`);
    return row;
  });
  // Time per identity at the largest size over that at the smallest: 1.0 is linear.
  const perIdentity = (key) => round((check[check.length - 1][key] / check[check.length - 1].n) / (check[0][key] / check[0].n), 2);
  const checkGrowth = check.length > 1 ? perIdentity('checkMs') : null;
  const checkGrowthCpu = check.length > 1 ? perIdentity('checkCpuMs') : null;

  const synth = SYNTH_SIZES.length > 0 ? benchSynth(SYNTH_SIZES, (n) => (n > 2000 ? SYNTH_REPS_LARGE : SYNTH_REPS), scratch, median, log) : null;

  const imports = Array.from({ length: Math.max(3, REPS) }, () => child('root-import', 0));
  const rootImportMs = round(median(imports.map((x) => x.ms)), 1);
  const rootImportLoadsFrameworks = imports.some((x) => x.loadsFrameworks);

  const at1000 = ['k8s', 'terraform'].map((s) => row(s, 1000)).filter(Boolean);
  const targets = {
    ratio: at1000.length === 2 ? at1000.every((r) => r.ratio <= TARGETS.ratio) : null,
    growth: from === 1000 && to === 2000 ? Object.values(growth).every((g) => g <= TARGETS.growth) : null,
    platformExample: platformExample.wallMs <= TARGETS.platformWallMs && platformExample.peakRssMb <= TARGETS.platformRssMb,
    rootImport: !rootImportLoadsFrameworks,
    ...(synth ? { synthRatio: synth.targets.ratio, synthMemory: synth.targets.memory, synthLinear: synth.targets.linear } : {}),
  };
  targets.met = Object.values(targets).every((t) => t === true);

  const result = {
    rows: rows.map(({ side, n, libraryMs, baselineMs, ratio, peakRssMb, baselinePeakRssMb, libraryCpuMs, baselineCpuMs, repetitions }) => ({ side, n, libraryMs, baselineMs, ratio, peakRssMb, baselinePeakRssMb, libraryCpuMs, baselineCpuMs, repetitions })),
    growth, growthSizes: to === undefined ? [] : [from, to], baselineGrowth, growthCpu, platformExample, check, checkGrowth, checkGrowthCpu, synth, rootImportMs, rootImportLoadsFrameworks, targets,
    environment: { node: process.version, cpus: os.cpus().length, platform: `${os.platform()} ${os.arch()}`, loadAverage: [loadAtStart, os.loadavg()[0]].map((x) => round(x, 2)) },
    durationS: Math.round((Date.now() - started) / 1000),
  };
  printTable(result);
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(result)}\n`);
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function printTable(r) {
  const out = [];
  const pad = (s, w, left) => (left ? String(s).padEnd(w) : String(s).padStart(w));
  const [loadBefore, loadAfter] = r.environment.loadAverage;
  out.push(`iks-workload-identity bench: node ${r.environment.node}, ${r.environment.cpus} CPUs, load average ${loadBefore} before and ${loadAfter} after; each cell the median of fresh processes`);
  out.push('');
  out.push(`${pad('side', 10, true)}${pad('N', 6)}${pad('library ms', 12)}${pad('plain ms', 10)}${pad('ratio', 7)}${pad('CPU ratio', 11)}${pad('library RSS MB', 16)}${pad('plain RSS MB', 14)}${pad('runs', 6)}`);
  for (const x of r.rows) {
    out.push(`${pad(x.side, 10, true)}${pad(x.n.toLocaleString('en-US'), 6)}${pad(x.libraryMs, 12)}${pad(x.baselineMs, 10)}${pad(x.ratio.toFixed(2), 7)}${pad((x.libraryCpuMs / x.baselineCpuMs).toFixed(2), 11)}${pad(x.peakRssMb, 16)}${pad(x.baselinePeakRssMb, 14)}${pad(x.repetitions, 6)}`);
  }
  out.push('(ms: wall time to build the objects from parsed declarations and write them with app.synth(); CPU ratio: the same with user+system CPU time, steadier on a busy machine)');
  out.push('');
  if (r.growth.k8s !== undefined) {
    out.push(`growth ${r.growthSizes.map((x) => x.toLocaleString('en-US')).join(' -> ')}: k8s ${r.growth.k8s.toFixed(2)}x (CPU ${r.growthCpu.k8s.toFixed(2)}x; plain ${r.baselineGrowth.k8s.toFixed(2)}x), terraform ${r.growth.terraform.toFixed(2)}x (CPU ${r.growthCpu.terraform.toFixed(2)}x; plain ${r.baselineGrowth.terraform.toFixed(2)}x)`);
  }
  const p = r.platformExample;
  out.push(`platform example, ${p.n.toLocaleString('en-US')} identities, both sides at once (node build/examples/platform/synth.js, as npm run synth:platform): ${p.wallMs} ms wall, peak RSS ${p.peakRssMb} MB (sum over its ${p.processes} processes)`);
  out.push(`  each side alone: k8s.js ${p.k8sWallMs} ms and ${p.k8sPeakRssMb} MB, terraform.js ${p.terraformWallMs} ms and ${p.terraformPeakRssMb} MB`);
  for (const c of r.check) {
    out.push(`check over the platform example's outputs, ${c.n.toLocaleString('en-US')} identities (${c.objects.toLocaleString('en-US')} Kubernetes objects, 1 Terraform module): ${c.checkMs} ms (CPU ${c.checkCpuMs} ms), peak RSS ${c.checkPeakRssMb} MB; synthesizing them took ${c.synthMs} ms`);
  }
  if (r.checkGrowth !== null) out.push(`  check time per identity, largest over smallest size: ${r.checkGrowth.toFixed(2)}x (CPU ${r.checkGrowthCpu.toFixed(2)}x; 1.00 is linear)`);
  if (r.synth) out.push(...synthTable(r.synth, pad));
  out.push(`root entry point: require('iks-workload-identity') ${r.rootImportMs} ms; loads cdk8s or cdktf: ${r.rootImportLoadsFrameworks ? 'YES' : 'no'}`);
  const mark = (t) => (t === null ? 'not measured' : t ? 'met' : 'MISSED');
  out.push(`targets: ratio <= ${TARGETS.ratio} at 1,000 ${mark(r.targets.ratio)}; growth <= ${TARGETS.growth}x ${mark(r.targets.growth)}; platform example <= ${TARGETS.platformWallMs} ms and <= ${TARGETS.platformRssMb} MB ${mark(r.targets.platformExample)}; root entry point loads no framework ${mark(r.targets.rootImport)}`);
  if (Math.max(...r.environment.loadAverage) > r.environment.cpus / 2) {
    out.push(`note: other work ran on this machine (load average up to ${Math.max(...r.environment.loadAverage)} on ${r.environment.cpus} CPUs); wall times are inflated and noisier, the CPU ratios less so`);
  }
  out.push(`(${r.durationS} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
}

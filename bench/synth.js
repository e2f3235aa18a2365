// `iks-workload-identity synth`, the command, at platform scale: both sides of a generated
// identities.yaml written by the built bin in a fresh process (wall time, CPU time and peak RSS,
// the worker thread included), next to plain cdk8s-plus-27 rendering the Kubernetes side alone
// of the same identities, also a fresh process timed from start to exit. The command reads and
// checks a YAML file and runs every rule besides; the baseline starts from parsed data.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');
const { generatePlatformScaleDeclarations } = require('./data');

const ROOT = path.resolve(__dirname, '..');
const PROBE = path.join(__dirname, 'peak-rss-probe.js');

/** Targets of issue 13: synth within 1.5x plain cdk8s-plus at 1,000; 10,000 under 1 GB; linear growth. */
const SYNTH_TARGETS = { ratio: 1.5, rssMb: 1024, perIdentityGrowth: 1.3 };

function timed(args, cwd, env) {
  const rssDir = fs.mkdtempSync(path.join(cwd, 'rss-'));
  const cpuDir = fs.mkdtempSync(path.join(cwd, 'cpu-'));
  const probe = { ...env, CI: '1', IWI_BENCH_RSS_DIR: rssDir, IWI_BENCH_CPU_DIR: cpuDir, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim() };
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: probe, maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const read = (dir) => fs.readdirSync(dir).map((f) => Number(fs.readFileSync(path.join(dir, f), 'utf8')));
  // The worker thread shares the process: its figures are the process's, so take the largest.
  return { r, wallMs, peakRssMb: Math.max(0, ...read(rssDir)) / 1024, cpuMs: Math.max(0, ...read(cpuDir)) / 1000 };
}

/** One run of the command over `n` generated identities in `dir`. */
function synthOnce(n, dir) {
  const file = path.join(dir, 'identities.yaml');
  fs.writeFileSync(file, YAML.stringify(generatePlatformScaleDeclarations(n)));
  const run = timed([path.join(ROOT, 'lib', 'cli', 'main.js'), 'synth', file], dir, process.env);
  if (run.r.status !== 0) throw new Error(`synth at N=${n} exited ${run.r.status}:\n${run.r.stderr.slice(-2000)}`);
  const namespaces = fs.readdirSync(path.join(dir, 'dist')).length;
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssMb, namespaces };
}

/** Plain cdk8s-plus-27, the Kubernetes side alone, in a fresh process timed start to exit. */
function plainOnce(n, dir) {
  const run = timed([path.join(__dirname, 'child.js'), 'k8s-plain', String(n), path.join(dir, 'plain')], dir, process.env);
  if (run.r.status !== 0) throw new Error(`plain cdk8s-plus at N=${n} failed:\n${run.r.stderr}`);
  return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMb: run.peakRssMb };
}

/**
 * The synth rows at `sizes` (median of `repsAt(n)` runs each), the baseline at 1,000 (or the
 * smallest size), the growth per identity, and which targets were met.
 */
function benchSynth(sizes, repsAt, scratch, median, log) {
  const baseN = sizes.includes(1000) ? 1000 : Math.min(...sizes);
  const inDir = (run) => {
    const dir = scratch();
    try {
      return run(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // At the base size the command and plain cdk8s-plus run in turns (command, plain, command, ...),
  // so a machine that gets slower or faster during the run moves both sides of the ratio alike.
  const plainRuns = [];
  const rows = sizes.map((n) => {
    const reps = repsAt(n);
    const runs = Array.from({ length: reps }, () => {
      const run = inDir((dir) => synthOnce(n, dir));
      if (n === baseN) plainRuns.push(inDir((dir) => plainOnce(baseN, dir)));
      return run;
    });
    const row = {
      n,
      wallMs: Math.round(median(runs.map((x) => x.wallMs))),
      cpuMs: Math.round(median(runs.map((x) => x.cpuMs))),
      peakRssMb: Math.round(Math.max(...runs.map((x) => x.peakRssMb))),
      namespaces: runs[0].namespaces,
      repetitions: reps,
    };
    log(`  synth N=${n}: ${row.wallMs} ms, CPU ${row.cpuMs} ms, ${row.peakRssMb} MB`);
    return row;
  });
  const baseline = {
    n: baseN,
    wallMs: Math.round(median(plainRuns.map((x) => x.wallMs))),
    cpuMs: Math.round(median(plainRuns.map((x) => x.cpuMs))),
    peakRssMb: Math.round(Math.max(...plainRuns.map((x) => x.peakRssMb))),
  };
  log(`  plain cdk8s-plus, Kubernetes side alone, N=${baseN}: ${baseline.wallMs} ms, CPU ${baseline.cpuMs} ms`);
  const at = (n) => rows.find((r) => r.n === n);
  const base = at(baseN);
  const ratio = Math.round((base.wallMs / baseline.wallMs) * 100) / 100;
  const cpuRatio = Math.round((base.cpuMs / baseline.cpuMs) * 100) / 100;
  // Time per identity at each larger size over that at the base size: 1.00 is linear.
  const growth = rows.filter((r) => r.n > baseN).map((r) => ({
    from: baseN, to: r.n, time: Math.round((r.wallMs / base.wallMs) * 100) / 100,
    perIdentity: Math.round(((r.wallMs / r.n) / (base.wallMs / baseN)) * 100) / 100,
    perIdentityCpu: Math.round(((r.cpuMs / r.n) / (base.cpuMs / baseN)) * 100) / 100,
  }));
  const largest = rows.reduce((a, b) => (b.n > a.n ? b : a));
  const targets = {
    ratio: baseN === 1000 ? ratio <= SYNTH_TARGETS.ratio : null,
    memory: largest.n >= 10000 ? largest.peakRssMb < SYNTH_TARGETS.rssMb : null,
    linear: growth.length > 0 ? growth.every((g) => g.perIdentity <= SYNTH_TARGETS.perIdentityGrowth) : null,
  };
  return { rows, baseline, ratio, cpuRatio, growth, targets };
}

function synthTable(s, pad) {
  const out = [];
  out.push(`${pad('synth (command, both sides)', 30, true)}${pad('N', 8)}${pad('wall ms', 10)}${pad('CPU ms', 10)}${pad('peak RSS MB', 13)}${pad('namespaces', 12)}${pad('runs', 6)}`);
  for (const r of s.rows) out.push(`${pad('', 30, true)}${pad(r.n.toLocaleString('en-US'), 8)}${pad(r.wallMs, 10)}${pad(r.cpuMs, 10)}${pad(r.peakRssMb, 13)}${pad(r.namespaces, 12)}${pad(r.repetitions, 6)}`);
  out.push(`plain cdk8s-plus, Kubernetes side alone, ${s.baseline.n.toLocaleString('en-US')} identities (fresh process, start to exit): ${s.baseline.wallMs} ms wall, CPU ${s.baseline.cpuMs} ms, ${s.baseline.peakRssMb} MB`);
  out.push(`  synth over plain at ${s.baseline.n.toLocaleString('en-US')}: ${s.ratio.toFixed(2)}x wall, ${s.cpuRatio.toFixed(2)}x CPU (synth also reads the YAML, checks it, renders Terraform in a worker and runs every rule)`);
  for (const g of s.growth) {
    out.push(`  growth ${g.from.toLocaleString('en-US')} -> ${g.to.toLocaleString('en-US')}: ${g.time.toFixed(2)}x time; per identity ${g.perIdentity.toFixed(2)}x (CPU ${g.perIdentityCpu.toFixed(2)}x; 1.00 is linear)`);
  }
  const mark = (t) => (t === null ? 'not measured' : t ? 'met' : 'MISSED');
  out.push(`  synth targets: within ${SYNTH_TARGETS.ratio}x plain cdk8s-plus at 1,000 ${mark(s.targets.ratio)}; 10,000 under ${SYNTH_TARGETS.rssMb} MB ${mark(s.targets.memory)}; time per identity within ${SYNTH_TARGETS.perIdentityGrowth}x of that at 1,000 ${mark(s.targets.linear)}`);
  return out;
}

module.exports = { benchSynth, synthTable, SYNTH_TARGETS };

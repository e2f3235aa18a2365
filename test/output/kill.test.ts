// The kill test: the platform synthesis (build/examples/platform/synth.js, what
// `npm run synth:platform` runs; `npm test` builds it first) killed with SIGKILL at many points,
// from old declarations to new ones. After every kill each output folder must be wholly old,
// wholly new or (only inside a committed swap, which the journal records) absent, and the next
// run must finish the job and leave nothing beside the folders.
//
// Two ways of choosing the instant: the test-only hook IKS_WI_OUTPUT_PAUSE_AT
// (src/output/atomic-output.ts, docs/testing.md) pauses after a chosen step of the swap, so every
// gap between two renames is hit for certain; and plain delays without the hook, which land
// while the apps load, render and write their staging folders.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { hasInterruptedSwap } from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');
const SYNTH = path.join(ROOT, 'build', 'examples', 'platform', 'synth.js');
const EXAMPLE_SYNTH = path.join(ROOT, 'build', 'examples', 'synth.js');
const COMMAND = path.join(ROOT, 'lib', 'cli', 'main.js');
const { generateDeclarations } = require('../../bench/data') as { generateDeclarations(n: number): { identities: any[] } };

jest.setTimeout(300_000);

type Tree = Record<string, string>;

function tree(dir: string): Tree | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out: Tree = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

let work: string;
let oldFile: string;
let newFile: string;
/** The run under test: program and arguments that synthesize the new outputs. */
let newArgv: string[];
const old: Record<'k8s' | 'terraform', Tree> = { k8s: {}, terraform: {} };
const fresh: Record<'k8s' | 'terraform', Tree> = { k8s: {}, terraform: {} };
const out = () => path.join(work, 'out');
const targets = () => ({ k8s: path.join(out(), 'k8s'), terraform: path.join(out(), 'terraform') });
const env = (extra: Record<string, string> = {}) => ({ ...process.env, CDK8S_OUTDIR: targets().k8s, CDKTF_OUTDIR: targets().terraform, ...extra });

function runToEnd(argv: string[]): void {
  const r = spawnSync(process.execPath, argv, { env: env(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth.js failed: ${r.stderr}`);
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-kill-'));
});

/** The platform example, from 45 identities to 40. */
function platformScenario(): void {
  // Old: 45 identities in three namespaces. New: the third namespace gone, one image changed,
  // so the new set drops files, changes files and keeps files.
  const data = generateDeclarations(45);
  oldFile = path.join(work, 'old.yaml');
  fs.writeFileSync(oldFile, YAML.stringify(data));
  const next = generateDeclarations(40);
  next.identities[0].workload.image = `${next.identities[0].workload.image.split(':')[0]}:9.9.9`;
  newFile = path.join(work, 'new.yaml');
  fs.writeFileSync(newFile, YAML.stringify(next));
  newArgv = [SYNTH, newFile];
  runToEnd(newArgv);
  fresh.k8s = tree(targets().k8s)!;
  fresh.terraform = tree(targets().terraform)!;
  runToEnd([SYNTH, oldFile]);
  old.k8s = tree(targets().k8s)!;
  old.terraform = tree(targets().terraform)!;
  // THEN-precondition: the two sets really differ, in both folders and in their file lists
  expect(Object.keys(old.k8s).length).toBeGreaterThan(Object.keys(fresh.k8s).length);
  expect(old.terraform).not.toEqual(fresh.terraform);
}

/** `iks-workload-identity synth` on a data file, from 45 identities to 40 (as the platform scenario). */
function commandScenario(): void {
  platformScenario();
  const argv = (file: string) => [COMMAND, 'synth', file, '--k8s-out', targets().k8s, '--terraform-out', targets().terraform];
  newArgv = argv(newFile);
  fs.rmSync(out(), { recursive: true, force: true });
  runToEnd(newArgv);
  fresh.k8s = tree(targets().k8s)!;
  fresh.terraform = tree(targets().terraform)!;
  runToEnd(argv(oldFile));
  old.k8s = tree(targets().k8s)!;
  old.terraform = tree(targets().terraform)!;
  expect(Object.keys(old.k8s).length).toBeGreaterThan(Object.keys(fresh.k8s).length);
}

/** `npm run synth`'s program, from outputs of an earlier version (one file more on each side) to its own. */
function exampleScenario(): void {
  newArgv = [EXAMPLE_SYNTH];
  fs.rmSync(out(), { recursive: true, force: true });
  runToEnd(newArgv);
  fresh.k8s = tree(targets().k8s)!;
  fresh.terraform = tree(targets().terraform)!;
  old.k8s = { 'payments-api.k8s.yaml': 'kind: Old\n', 'removed.k8s.yaml': 'kind: Removed\n' };
  old.terraform = { 'manifest.json': '{}\n', 'stacks/payments-api/cdk.tf.json': '{"old":true}\n', 'stacks/removed/cdk.tf.json': '{}\n' };
  expect(Object.keys(fresh.k8s)).toEqual(['payments-api.k8s.yaml']);
}

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Puts the old outputs in place and nothing else. */
function resetToOld(): void {
  fs.rmSync(out(), { recursive: true, force: true });
  for (const side of ['k8s', 'terraform'] as const) {
    for (const [rel, text] of Object.entries(old[side])) {
      fs.mkdirSync(path.dirname(path.join(targets()[side], rel)), { recursive: true });
      fs.writeFileSync(path.join(targets()[side], rel), text);
    }
  }
}

type State = 'old' | 'new' | 'absent' | 'mixed';
function stateOf(side: 'k8s' | 'terraform'): State {
  const t = tree(targets()[side]);
  if (t === undefined) return 'absent';
  if (JSON.stringify(t) === JSON.stringify(old[side])) return 'old';
  if (JSON.stringify(t) === JSON.stringify(fresh[side])) return 'new';
  return 'mixed';
}

/** Runs synth.js on the new file and SIGKILLs it when `when` says so; resolves when it is dead. */
function runAndKill(when: { step: string } | { afterMs: number }): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const hook: Record<string, string> = 'step' in when ? { IKS_WI_OUTPUT_PAUSE_AT: when.step } : {};
    const child = spawn(process.execPath, newArgv, { env: env(hook), stdio: ['ignore', 'ignore', 'pipe'] });
    let killed = false;
    let stderr = '';
    const kill = () => { if (!killed) { killed = true; child.kill('SIGKILL'); } };
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if ('step' in when && stderr.split('\n').includes(`iwi-output-step ${when.step}`)) kill();
    });
    const timer = 'afterMs' in when ? setTimeout(kill, when.afterMs) : undefined;
    child.on('error', reject);
    child.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve({ killed });
    });
  });
}

function expectConsistentAfterKill(label: string): void {
  const states = { k8s: stateOf('k8s'), terraform: stateOf('terraform') };
  const interrupted = hasInterruptedSwap([targets().k8s, targets().terraform]);
  // No folder is ever a mix of old and new files, or holds a partial file.
  expect({ label, ...states }).toEqual({ label, k8s: expect.stringMatching(/^(old|new|absent)$/), terraform: expect.stringMatching(/^(old|new|absent)$/) });
  // Outside a committed swap the two folders agree and both exist; inside one, the journal says so.
  if (!interrupted) expect({ label, ...states }).toEqual({ label, k8s: states.terraform, terraform: states.k8s });
  if (!interrupted) expect({ label, absent: Object.values(states).includes('absent') }).toEqual({ label, absent: false });
}

function expectNextRunCompletes(label: string): void {
  runToEnd(newArgv);
  expect({ label, k8s: stateOf('k8s'), terraform: stateOf('terraform') }).toEqual({ label, k8s: 'new', terraform: 'new' });
  expect({ label, beside: fs.readdirSync(out()).sort() }).toEqual({ label, beside: ['k8s', 'terraform'] });
}

const STEPS = ['locked', 'recovered', 'rendered', 'committed', 'moved-old-0', 'placed-new-0', 'moved-old-1', 'placed-new-1', 'journal-removed', 'cleaned'];

describe('the platform synth.js killed with SIGKILL', () => {
  beforeAll(platformScenario);

  test.each(STEPS)('right after the step "%s" leaves each folder wholly old or wholly new, and the next run completes', async (step) => {
    // GIVEN the old outputs in place
    resetToOld();
    // WHEN the synthesis of the new file is killed right after that step
    const { killed } = await runAndKill({ step });
    expect(killed).toBe(true);
    // THEN every folder is old, new or (within a committed swap) absent, and a new run completes
    expectConsistentAfterKill(step);
    expectNextRunCompletes(step);
  });

  test('at varied instants without the hook leaves each folder wholly old or wholly new, and the next run completes', async () => {
    // GIVEN how long a whole run takes here
    resetToOld();
    const started = Date.now();
    runToEnd(newArgv);
    const full = Date.now() - started;
    const outcomes = new Set<string>();
    // WHEN runs are killed at 8 instants spread over that time (and a little beyond)
    for (let i = 0; i < 8; i++) {
      resetToOld();
      const afterMs = Math.round((full * (i + 0.5)) / 7);
      await runAndKill({ afterMs });
      // THEN after each kill the folders are consistent, and a new run completes
      expectConsistentAfterKill(`killed after ${afterMs} ms`);
      outcomes.add(`${stateOf('k8s')}/${stateOf('terraform')}`);
      expectNextRunCompletes(`killed after ${afterMs} ms`);
    }
    // AND the kills landed both before and after the swap (not all in one phase)
    expect(outcomes.has('old/old')).toBe(true);
  });
});

describe('npm run synth (build/examples/synth.js) killed with SIGKILL', () => {
  beforeAll(exampleScenario);

  test.each(['rendered', 'committed', 'moved-old-0', 'placed-new-0', 'moved-old-1', 'placed-new-1', 'journal-removed'])('right after the step "%s" leaves dist/ and cdktf.out/ each wholly old or wholly new, and the next run completes', async (step) => {
    // GIVEN outputs of an earlier version in place
    resetToOld();
    // WHEN the example's synthesis is killed right after that step
    const { killed } = await runAndKill({ step });
    expect(killed).toBe(true);
    // THEN every folder is old, new or (within a committed swap) absent, and a new run completes
    expectConsistentAfterKill(step);
    expectNextRunCompletes(step);
  });
});

describe('iks-workload-identity synth killed with SIGKILL', () => {
  beforeAll(commandScenario);

  // "staged": after the first namespace's file is written into the staging folder, while the
  // other namespaces and the Terraform side are still rendering.
  test.each(['locked', 'staged', 'rendered', 'committed', 'moved-old-0', 'placed-new-0', 'moved-old-1', 'placed-new-1', 'journal-removed'])('right after the step "%s" leaves each folder wholly old or wholly new, and the next run completes', async (step) => {
    // GIVEN the old outputs in place
    resetToOld();
    // WHEN the command is killed right after that step
    const { killed } = await runAndKill({ step });
    expect(killed).toBe(true);
    // THEN every folder is old, new or (within a committed swap) absent, and a new run completes
    expectConsistentAfterKill(step);
    expectNextRunCompletes(step);
  });
});

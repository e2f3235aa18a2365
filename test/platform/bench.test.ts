// The bench (`npm run bench`) at a tiny N: its baselines synthesize what the library does, and
// --json ends with the summary object. Times are reported by the bench, never asserted here.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(120_000);

function node(script: string, args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bench', script), ...args], { cwd: ROOT, encoding: 'utf8' });
}

test('the plain baselines synthesize the same manifests and Terraform JSON as the library', () => {
  // GIVEN 20 generated identities
  // WHEN the library, plain cdk8s-plus-27 and the generated provider classes each synthesize them
  const result = node('verify.js', ['20']);
  // THEN both sides' outputs are the same, object for object
  expect(result.stdout + result.stderr).toBe('baselines synthesize the same output as the library\n');
  expect(result.status).toBe(0);
});

test('bench --json prints the summary as one JSON object on its last line', () => {
  // GIVEN the bench at two tiny sizes with one run each
  // WHEN it runs with --json
  const result = node('run.js', ['--json', '--no-verify', '--sizes', '10,20', '--reps', '1', '--platform-n', '20', '--platform-reps', '1', '--check-sizes', '10,20', '--synth-sizes', '10,20']);
  // THEN the last line holds a row per side and size, the growth, the platform example and the root import
  expect(result.status).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').pop()!);
  expect(summary.rows.map((r: any) => `${r.side} ${r.n}`)).toEqual(['k8s 10', 'terraform 10', 'k8s 20', 'terraform 20']);
  for (const r of summary.rows) {
    expect([r.libraryMs, r.baselineMs, r.ratio, r.peakRssMb].every((x) => typeof x === 'number' && x > 0)).toBe(true);
  }
  expect(Object.keys(summary.growth).sort()).toEqual(['k8s', 'terraform']);
  expect(summary.platformExample).toEqual(expect.objectContaining({ n: 20, wallMs: expect.any(Number), peakRssMb: expect.any(Number) }));
  expect(typeof summary.rootImportMs).toBe('number');
  expect(summary.check.map((c: any) => [c.n, c.objects])).toEqual([[10, 30], [20, 60]]);
  expect(summary.check.every((c: any) => c.checkMs > 0 && c.synthMs > 0)).toBe(true);
  // AND the synth command's rows, its baseline at the smallest size, and the growth per identity
  expect(summary.synth.rows.map((r: any) => [r.n, r.namespaces])).toEqual([[10, 1], [20, 1]]);
  expect(summary.synth.rows.every((r: any) => r.wallMs > 0 && r.cpuMs > 0 && r.peakRssMb > 0)).toBe(true);
  expect(summary.synth.baseline).toEqual(expect.objectContaining({ n: 10, wallMs: expect.any(Number) }));
  expect(summary.synth.growth.map((g: any) => [g.from, g.to])).toEqual([[10, 20]]);
  // AND targets that need 1,000 and 10,000 identities are "not measured", not met or missed
  expect(summary.synth.targets).toEqual({ ratio: null, memory: null, linear: expect.any(Boolean) });
  expect(result.stdout).toContain('synth targets:');
});

test('importing the root entry point loads neither cdk8s nor cdktf', () => {
  // GIVEN a fresh process
  // WHEN it requires 'iks-workload-identity' by package name, as a user does
  const result = node('child.js', ['root-import', '0', '-']);
  // THEN no framework module was loaded
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ loadsFrameworks: false, frameworks: [] });
});

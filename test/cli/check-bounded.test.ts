// `check` is bounded and honest on any input: it reads only regular files, never blocks, caps
// file size and alias expansion, caps findings per object, and never passes having read nothing.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { check, expectNoStackTrace, pod, scratch } from './check-support';

jest.setTimeout(60_000);

const k8s = (dir: string, ...extra: string[]) => check(['check', '--k8s', dir, '--no-terraform', ...extra]);

describe('check reads only regular files', () => {
  test('refuses a .yaml symlink to /dev/zero by name, without reading it', () => {
    // GIVEN a manifest folder where one .yaml is a symlink to /dev/zero
    const dir = scratch({ 'ok.yaml': pod('app') });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    // WHEN it is checked (with a timeout: reading /dev/zero would never end)
    const r = k8s(dir);
    // THEN exit 2 naming the file and what it is
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'zero.yaml')}: a symlink to a character device; only regular files are read`);
  });

  test('refuses a FIFO by name instead of hanging', () => {
    // GIVEN a FIFO named like a manifest, with no writer
    const dir = scratch({ 'ok.yaml': pod('app') });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    // WHEN it is checked with a 20-second limit
    const r = check(['check', '--k8s', dir, '--no-terraform'], undefined, 20_000);
    // THEN it returns at once, exit 2, naming the FIFO
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'pipe.yaml')}: a FIFO; only regular files are read`);
  });

  test('refuses a FIFO named like Terraform configuration', () => {
    // GIVEN a FIFO named main.tf
    const dir = scratch();
    execFileSync('mkfifo', [path.join(dir, 'main.tf')]);
    // WHEN the Terraform side is checked
    const r = check(['check', '--terraform', dir, '--no-k8s'], undefined, 20_000);
    // THEN exit 2 naming it
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'main.tf')}: a FIFO`);
  });

  test('reads a symlink to a regular file', () => {
    // GIVEN a manifest reached through a symlink
    const target = scratch({ 'pod.yaml': pod('linked', '  hostNetwork: true\n') });
    const dir = scratch();
    fs.symlinkSync(path.join(target, 'pod.yaml'), path.join(dir, 'pod.yaml'));
    // WHEN it is checked
    const r = k8s(dir);
    // THEN the Pod is judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/linked');
  });
});

describe('check caps what one file can cost', () => {
  test('refuses a file over the size cap, saying how to raise it', () => {
    // GIVEN a 2,000-byte manifest and a 1,000-byte cap
    const dir = scratch({ 'big.yaml': `${pod('app')}# ${'x'.repeat(2000)}\n` });
    // WHEN it is checked with --max-file-size 1000
    const r = k8s(dir, '--max-file-size', '1000');
    // THEN exit 2 naming the file and the flag
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'big.yaml')}: larger than 1000 bytes`);
    expect(r.stderr).toContain('--max-file-size');
  });

  test('reads the same file once the cap is raised', () => {
    // GIVEN the same file
    const dir = scratch({ 'big.yaml': `${pod('app')}# ${'x'.repeat(2000)}\n` });
    // WHEN the cap is raised above its size
    const r = k8s(dir, '--max-file-size', '100000');
    // THEN it is checked
    expect(r.status).toBe(0);
  });

  test('refuses a 114 KB alias bomb within any alias-count limit with exit 2, not a heap crash', () => {
    // GIVEN three levels: 19,000 scalars, a list of 100 aliases to them, a list of 100 aliases
    // to that: 114 KB of text and 200 aliases expanding to 190 million nodes
    const base = Array.from({ length: 19_000 }, () => 'lolol').join(',');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: lol }\na: &a [${base}]\nb: &b [${Array(100).fill('*a').join(',')}]\nc: [${Array(100).fill('*b').join(',')}]\n`;
    expect(text.length).toBeGreaterThan(114_000);
    const dir = scratch({ 'bomb.yaml': text });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN exit 2 naming the file, promptly and without a stack trace
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'bomb.yaml')}: aliases expand this document beyond`);
    expectNoStackTrace(r);
  });

  test('accepts ordinary anchors and aliases', () => {
    // GIVEN a Pod whose second container reuses the first one's securityContext through an alias
    const text = pod('a').replace('{ allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }', '&sc { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }')
      + '    - { name: sidecar, image: example/sidecar:1.0, securityContext: *sc }\n';
    const dir = scratch({ 'pods.yaml': text });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN it passes
    expect(r.status).toBe(0);
  });
});

describe('check caps the findings printed per object', () => {
  const manyContainers = (n: number) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'many', namespace: 'payments' },
    spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'x', securityContext: { privileged: true } })) } });

  test('prints at most 20 findings for one object by default, then how many more', () => {
    // GIVEN a Pod with 200 privileged containers
    const dir = scratch({ 'pod.json': manyContainers(200) });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN 20 lines for the Pod, a line counting the rest, and the summary counting all
    const lines = r.lines.filter((l) => l.startsWith('ERROR'));
    expect(lines).toHaveLength(20);
    expect(r.stdout).toMatch(/\.\.\. and \d+ more finding\(s\) on Pod payments\/many/);
    const total = Number(/^(\d+) error\(s\)/m.exec(r.lines[r.lines.length - 1])?.[1]);
    expect(total).toBeGreaterThan(200);
    expect(r.status).toBe(1);
  });

  test('honours --max-findings-per-object and reports the omitted count in JSON', () => {
    // GIVEN the same Pod
    const dir = scratch({ 'pod.json': manyContainers(30) });
    // WHEN checked with a cap of 5, as JSON
    const r = k8s(dir, '--max-findings-per-object', '5', '--format', 'json');
    const report = JSON.parse(r.stdout);
    // THEN 5 findings are listed and the rest counted
    expect(report.findings).toHaveLength(5);
    expect(report.omitted).toEqual([expect.objectContaining({ object: 'Pod payments/many', count: report.summary.errors - 5 })]);
  });
});

describe('check never passes having read nothing', () => {
  test('exits 2 on a manifest folder without any Kubernetes object', () => {
    // GIVEN a folder holding only a kustomization-like file without kind
    const dir = scratch({ 'values.yaml': 'replicas: 3\n', 'README.md': '# x' });
    // WHEN it is checked
    const r = k8s(dir);
    // THEN exit 2, "nothing was checked"
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nothing was checked');
  });

  test('exits 2 on a Terraform folder without configuration files', () => {
    // GIVEN a cdktf.out holding only manifest.json
    const dir = scratch({ 'manifest.json': '{}' });
    // WHEN it is checked
    const r = check(['check', '--terraform', dir, '--no-k8s']);
    // THEN exit 2, "nothing was checked"
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nothing was checked: no *.tf or *.tf.json file');
  });
});

describe('--help on every command', () => {
  test.each([[['check', '--help']], [['check', '-h']], [['rules', '--help']], [['--help']], [['help']]])('%j prints usage to stdout and exits 0', (args) => {
    // GIVEN the bin
    // WHEN run with the help flag
    const r = check(args as string[]);
    // THEN usage on stdout, nothing on stderr, exit 0
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: iks-workload-identity');
    expect(r.stderr).toBe('');
  });

  test('check --help lists every flag', () => {
    // GIVEN the bin
    // WHEN check --help runs
    const r = check(['check', '--help']);
    // THEN each flag is described
    for (const flag of ['--k8s', '--terraform', '--no-k8s', '--no-terraform', '--format', '--max-file-size', '--max-findings-per-object']) expect(r.stdout).toContain(flag);
  });

  test.each([['--max-file-size', '0'], ['--max-file-size', '1e9'], ['--max-findings-per-object', '-1'], ['--k8s', '']])('exits 2 on %s %j', (flag, value) => {
    // GIVEN a flag with a bad value
    // WHEN check runs with it
    const r = check(['check', `${flag}=${value}`]);
    // THEN exit 2 with the usage
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: iks-workload-identity check');
  });
});

describe('check on one file given by name', () => {
  test('reads a manifest file named by --k8s, whatever its extension', () => {
    // GIVEN a host-network Pod in pod.txt
    const dir = scratch({ 'pod.txt': pod('single', '  hostNetwork: true\n') });
    // WHEN --k8s names the file
    const r = check(['check', '--k8s', path.join(dir, 'pod.txt'), '--no-terraform']);
    // THEN it is judged
    expect(r.stdout).toContain('ERROR IWI-S1 Pod payments/single');
  });

  test('refuses a FIFO named by --k8s without blocking', () => {
    // GIVEN a FIFO given directly
    const dir = scratch();
    execFileSync('mkfifo', [path.join(dir, 'p')]);
    // WHEN --k8s names it
    const r = check(['check', '--k8s', path.join(dir, 'p'), '--no-terraform'], undefined, 20_000);
    // THEN exit 2, at once
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('neither a directory nor a regular file');
  });
});

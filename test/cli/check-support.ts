// Running the compiled bin as a user runs it (`npm test` builds lib/ first), in scratch folders.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'lib', 'cli', 'main.js');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A scratch directory holding `files` (relative path -> content). */
export function scratch(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-check-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly lines: string[];
}

export function check(args: string[], cwd = ROOT, timeout = 60_000): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout, maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trim().split('\n') };
}

/** A Pod manifest (YAML text) meeting every rule, with `spec` lines appended under `spec:`. */
export function pod(name: string, specLines = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: payments }
spec:
  securityContext: { runAsNonRoot: true, seccompProfile: { type: RuntimeDefault } }
  containers:
    - name: app
      image: example/app:1.0
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
${specLines}`;
}

/** No stack trace ever reaches the user: node prints `    at ` frames. */
export function expectNoStackTrace(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).not.toMatch(/^\s+at /m);
}

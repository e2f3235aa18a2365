// Helpers for the package tests: packing the library and driving scratch consumer projects.
// Nothing here writes inside the repository; scratch projects live under the OS temp folder.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const quietEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  CHECKPOINT_DISABLE: '1', // cdktf: no usage reporting
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  CI: '1',
});

/** Runs a command to completion without a shell; never rejects. */
export function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = quietEnv()): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (err) => resolve({ status: null, stdout, stderr: `${stderr}${err}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A command's outcome as one string, for failure messages. */
export function describeRun(what: string, r: RunResult): string {
  return `${what} exited ${r.status}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-6000)}`;
}

/** npm, run through the node that runs the tests (as npm itself runs scripts). */
export function npm(args: readonly string[], cwd: string): Promise<RunResult> {
  const cli = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? process.env.npm_execpath : undefined;
  return cli ? run(process.execPath, [cli, ...args], cwd) : run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd);
}

export function npmSync(args: readonly string[], cwd: string) {
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [...args], { cwd, encoding: 'utf8', env: quietEnv(), maxBuffer: 64 * 1024 * 1024 });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The version of a package that this repository's lockfile installs (what `npm ci` cached). */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json installs no ${name}`);
  return version;
}

/** The packed file list of `npm pack --dry-run` (no scripts: `npm test` has built lib/ already). */
export function packedFiles(): { files: { path: string; size: number; mode: number }[]; size: number; unpackedSize: number } {
  const result = npmSync(['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed:\n${result.stderr}`);
  return JSON.parse(result.stdout)[0];
}

/** Packs the library into `dir` (no scripts: `npm test` has built lib/ already); returns the tarball path. */
export async function pack(dir: string): Promise<string> {
  const result = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  if (result.status !== 0) throw new Error(describeRun('npm pack', result));
  const [{ filename }] = JSON.parse(result.stdout);
  return path.join(dir, path.basename(filename));
}

/**
 * Installs packages into a new scratch project, as a user would: the tarball, never a link.
 * `--prefer-offline` takes them from the npm cache that `npm ci` filled when it can.
 */
export async function scratchProject(dir: string, packageJson: object, specs: readonly string[]): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, ...packageJson }, null, 2));
  const result = await npm(
    ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--no-package-lock', '--loglevel=error', ...specs],
    dir,
  );
  if (result.status !== 0) throw new Error(describeRun(`npm install ${specs.join(' ')}`, result));
}

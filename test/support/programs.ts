// The programs the token-fetch Job runs in the cluster, found on this machine: busybox (the
// curl image is Alpine, so its sh, sed, tr, cut, base64 are busybox applets) and curl. The
// globalSetup (program-setup.ts) gets them when missing and it can; tests that need them fail,
// never skip, when they are still missing, with the exact command that installs them.
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findBusybox, INSTALL_COMMAND, which } from './program-setup';

export { which };

export const INSTALL_HINT = `install them with \`${INSTALL_COMMAND}\` (\`npm test\` fetches busybox itself when apt-get download works)`;

/** busybox (on PATH or unpacked by the globalSetup) and curl, or an error that says how to install them. */
export function requirePrograms(): { busybox: string; curl: string } {
  const busybox = findBusybox();
  const curl = which('curl');
  const missing = [busybox ? undefined : 'busybox', curl ? undefined : 'curl'].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`The runtime tests run the token-fetch script with the programs of its image, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed: ${INSTALL_HINT}.`);
  }
  return { busybox: busybox!, curl: curl! };
}

/**
 * A directory laid out like the curl image's PATH: every busybox applet as a symlink to
 * busybox, plus the real curl. With `traceLog`, each program except `sh` is instead a small
 * wrapper that appends its name and arguments to that file before exec'ing the real program,
 * so a test can see every command line the script runs.
 */
export function alpineLikeBin(dir: string, opts: { traceLog?: string } = {}): string {
  const { busybox, curl } = requirePrograms();
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter((s) => /^[a-z0-9_.[-]+$/.test(s) && s !== 'curl');
  fs.mkdirSync(dir, { recursive: true });
  const targets: Array<[string, string[]]> = [...applets.map((a): [string, string[]] => [a, [busybox, a]]), ['curl', [curl]]];
  for (const [name, target] of targets) {
    const file = path.join(dir, name);
    if (!opts.traceLog || name === 'sh') {
      fs.symlinkSync(target.length === 1 ? target[0] : busybox, file);
      continue;
    }
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    fs.writeFileSync(file, `#!${busybox} sh\nprintf '%s\\n' ${q(name)}" $*" >> ${q(opts.traceLog)}\nexec ${target.map(q).join(' ')} "$@"\n`, { mode: 0o755 });
  }
  return dir;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMs: number;
  readonly pid: number;
}

/**
 * Runs `argv` with exactly `env` (nothing inherited), and calls `whileRunning` every few
 * milliseconds until it exits.
 */
export function runProgram(argv: string[], env: Record<string, string>, cwd: string, whileRunning?: (pid: number) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sampler = whileRunning ? setInterval(() => whileRunning(child.pid!), 5) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (sampler) clearInterval(sampler);
      resolve({ code, stdout, stderr, elapsedMs: Date.now() - started, pid: child.pid! });
    });
  });
}

/** The command line of every process this user can see, read from /proc. */
export function processCommandLines(): string[] {
  const lines: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      lines.push(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
    } catch {
      // the process ended between readdir and read
    }
  }
  return lines;
}

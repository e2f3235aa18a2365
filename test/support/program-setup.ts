// How `npm test` gets the runtime suite's programs on a fresh machine (docs/testing.md).
//
// busybox: when it is not on PATH, Debian's own busybox package is downloaded and unpacked into
// a cache folder (node_modules/.cache/iks-workload-identity/busybox): `apt-get download busybox`
// then `dpkg-deb -x`. Nothing is installed on the system, so this needs no root when the apt
// lists are present, touches no other program, and `npm ci` (which recreates node_modules)
// starts afresh. On an image without apt lists (Docker's Debian images ship none), root runs
// `apt-get update` first; without root it cannot, and says the exact command instead.
// curl: its package has shared-library dependencies that an unpacked .deb would not bring, so
// when it is missing, root installs it with apt-get, and anyone else gets the exact command.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const INSTALL_COMMAND = 'apt-get update && apt-get install -y --no-install-recommends busybox curl';

/** The cache folder the busybox binary is unpacked into. */
export function busyboxCacheDir(root = path.resolve(__dirname, '..', '..')): string {
  return path.join(root, 'node_modules', '.cache', 'iks-workload-identity', 'busybox');
}

/** The absolute path of `program` on `searchPath`, or undefined. */
export function which(program: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    const candidate = path.join(dir || '.', program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** busybox on PATH, else the one unpacked into the cache, else undefined. */
export function findBusybox(searchPath = process.env.PATH ?? '', cacheDir = busyboxCacheDir()): string | undefined {
  const cached = path.join(cacheDir, 'bin', 'busybox');
  return which('busybox', searchPath) ?? (fs.existsSync(cached) ? cached : undefined);
}

export interface SetupEnvironment {
  readonly path: string;
  readonly cacheDir: string;
  readonly isRoot: boolean;
  /** Whether apt has package lists (an `apt-get update` has run). */
  readonly aptListsPresent: boolean;
  readonly log: (line: string) => void;
}

export interface SetupOutcome {
  readonly busybox?: string;
  readonly curl?: string;
  /** Why a program is still missing, with the exact command that installs it. */
  readonly problems: string[];
}

/** Whether /var/lib/apt/lists holds any package list. */
export function aptListsPresent(dir = '/var/lib/apt/lists'): boolean {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith('_Packages') || f.includes('_Packages.'));
  } catch {
    return false;
  }
}

export function defaultSetupEnvironment(): SetupEnvironment {
  return {
    path: process.env.PATH ?? '',
    cacheDir: busyboxCacheDir(),
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    aptListsPresent: aptListsPresent(),
    log: (line) => process.stderr.write(`runtime tests: ${line}\n`),
  };
}

function run(program: string, args: string[], env: SetupEnvironment, cwd?: string): void {
  execFileSync(program, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PATH: env.path, DEBIAN_FRONTEND: 'noninteractive' } });
}

function reason(e: unknown): string {
  const err = e as { stderr?: Buffer; message: string };
  const text = err.stderr?.toString('utf8').trim().split('\n').filter((l) => !l.startsWith('W: ')).pop();
  return (text || err.message).slice(0, 300);
}

/** Gets busybox and curl when missing and it can; reports what it could not get and how to. */
export function ensurePrograms(env: SetupEnvironment = defaultSetupEnvironment()): SetupOutcome {
  const problems: string[] = [];
  const aptGet = which('apt-get', env.path);
  let listsPresent = env.aptListsPresent;
  const update = (): boolean => {
    if (listsPresent) return true;
    if (!env.isRoot || !aptGet) return false;
    env.log('apt has no package lists; running `apt-get update`');
    run(aptGet, ['update'], env);
    listsPresent = true;
    return true;
  };

  let busybox = findBusybox(env.path, env.cacheDir);
  if (!busybox) {
    const dpkgDeb = which('dpkg-deb', env.path);
    if (!aptGet || !dpkgDeb) {
      problems.push(`busybox is not installed and this machine has no ${aptGet ? 'dpkg-deb' : 'apt-get'} to fetch it: install busybox (on Debian: \`${INSTALL_COMMAND}\`)`);
    } else {
      try {
        if (!update()) throw new Error('apt has no package lists and only root can run `apt-get update`');
        env.log(`busybox is not installed; fetching Debian's busybox package into ${env.cacheDir} (apt-get download busybox, dpkg-deb -x), nothing is installed on the system`);
        const download = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-busybox-'));
        try {
          run(aptGet, ['download', 'busybox'], env, download);
          const deb = fs.readdirSync(download).find((f) => f.endsWith('.deb'));
          if (!deb) throw new Error('apt-get download busybox left no .deb file');
          const unpacked = `${env.cacheDir}.${process.pid}.tmp`;
          fs.mkdirSync(path.dirname(env.cacheDir), { recursive: true });
          fs.rmSync(unpacked, { recursive: true, force: true });
          run(dpkgDeb, ['-x', path.join(download, deb), unpacked], env);
          if (!fs.existsSync(path.join(unpacked, 'bin', 'busybox'))) throw new Error(`${deb} holds no bin/busybox`);
          fs.rmSync(env.cacheDir, { recursive: true, force: true });
          try {
            fs.renameSync(unpacked, env.cacheDir); // a complete unpack or none: concurrent runs never see half a binary
          } catch (e) {
            fs.rmSync(unpacked, { recursive: true, force: true });
            if (!fs.existsSync(path.join(env.cacheDir, 'bin', 'busybox'))) throw e; // else another run unpacked it first
          }
        } finally {
          fs.rmSync(download, { recursive: true, force: true });
        }
        busybox = findBusybox(env.path, env.cacheDir);
      } catch (e) {
        problems.push(`busybox is not installed and fetching it failed (${reason(e)}): install it with \`${INSTALL_COMMAND}\``);
      }
    }
  }

  let curl = which('curl', env.path);
  if (!curl) {
    if (env.isRoot && aptGet) {
      try {
        update();
        env.log('curl is not installed; installing it with `apt-get install -y --no-install-recommends curl`');
        run(aptGet, ['install', '-y', '--no-install-recommends', 'curl'], env);
        curl = which('curl', env.path);
      } catch (e) {
        problems.push(`curl is not installed and installing it failed (${reason(e)}): install it with \`${INSTALL_COMMAND}\``);
      }
    } else {
      problems.push(`curl is not installed${env.isRoot ? ' and this machine has no apt-get' : ' and only root can install it'}: install it with \`${INSTALL_COMMAND}\``);
    }
  }
  return { busybox, curl, problems };
}

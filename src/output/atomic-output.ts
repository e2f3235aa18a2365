// Crash-safe output folders. A synthesis renders every output folder in full into a staging
// folder beside it, and only when all of them are complete are they swapped into place, by
// rename. Loads no framework: it works for cdk8s, cdktf or hand-written files alike.
//
// The swap, per folder: target -> backup, staging -> target (rename(2) cannot replace a
// non-empty folder in one step). Between those two renames the folder is absent for an instant;
// it is never partial. With several folders, a journal written (atomically) once every staging
// folder is complete is the commit point: a run killed after it is rolled forward by the next
// run (or by `recoverOutputs`), a run killed before it leaves the old outputs and staging
// leftovers that the next run removes. docs/outputs.md states exactly what a kill leaves.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** An output folder could not be written, locked or recovered. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** The contents of one output folder: relative path (with `/`) to file contents. */
export type OutputFiles = ReadonlyMap<string, string | Uint8Array>;

/** Options of `writeOutputsAtomically` and `writeOutputFolders`. */
export interface WriteOutputsOptions {
  /**
   * Entries of the old folder to carry into the new one, such as Terraform's working files:
   * called with the folder (as given) and each entry's relative path (with `/`). A kept entry
   * is hard-linked (copied where links fail) into the staging folder, whole, if its parent
   * folder is in the new output and the synthesis did not write that path itself. The old
   * folder is not changed, so a kill still leaves it whole.
   * @default - nothing is kept
   */
  readonly keep?: (folder: string, relativePath: string) => boolean;
}

/**
 * Terraform's working files in a cdktf output folder: each stack's `.terraform/`,
 * `.terraform.lock.hcl` and local state (`terraform.tfstate`, its backup, `terraform.tfstate.d/`).
 * Use it as `keep`, so a synthesis does not drop the provider lock or a local state.
 */
export function isTerraformWorkingFile(relativePath: string): boolean {
  return /^stacks\/[^/]+\/(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate|terraform\.tfstate\.backup|terraform\.tfstate\.d)$/.test(relativePath);
}

const JOURNAL_VERSION = 1;
const TAG = 'iwi';

interface Pair {
  readonly target: string;
  readonly staging: string;
  readonly backup: string;
}

interface Journal {
  readonly version: number;
  /** Paths relative to the journal's folder, so the file names no machine's paths. */
  readonly pairs: ReadonlyArray<{ readonly target: string; readonly staging: string; readonly backup: string }>;
}

/** Where the lock and the journal of a set of output folders live: beside the first folder. */
function sidecar(first: string, kind: 'lock' | 'journal'): string {
  return path.join(path.dirname(first), `.${path.basename(first)}.${TAG}-${kind}`);
}

function leftoverPrefixes(target: string): string[] {
  const base = path.basename(target);
  // The journal's own temporary file ends in a dot and more; the journal itself does not.
  return [`.${base}.${TAG}-staging-`, `.${base}.${TAG}-old-`, `.${base}.${TAG}-journal.`];
}

/**
 * A test-only hook, documented in docs/testing.md: with IKS_WI_OUTPUT_PAUSE_AT set to a step's
 * name, every step is announced on stderr and the process waits 60 s after that step, so a test
 * can kill it in any gap between two renames. Unset (always, outside tests), it costs one lookup.
 */
function step(name: string): void {
  const pauseAt = process.env.IKS_WI_OUTPUT_PAUSE_AT;
  if (pauseAt === undefined || pauseAt === '') return;
  fs.writeSync(2, `iwi-output-step ${name}\n`);
  if (pauseAt === name) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

function resolveTargets(dirs: readonly string[]): string[] {
  if (dirs.length === 0) throw new OutputError('no output folder given: name at least one folder to write');
  const targets = dirs.map((d) => path.resolve(d));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t)) throw new OutputError(`output folder ${t} is named twice; each synthesis owns distinct folders`);
    for (const other of targets) {
      if (other !== t && other.startsWith(t + path.sep)) {
        throw new OutputError(`output folder ${other} is inside output folder ${t}; a synthesis owns each folder whole, so name folders that do not nest`);
      }
    }
    seen.add(t);
    if (fs.existsSync(t) && !fs.lstatSync(t).isDirectory()) {
      throw new OutputError(`output path ${t} exists and is not a folder; move it away, the synthesis owns this path as a folder`);
    }
  }
  return targets;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Lock files this process holds now. A lock file naming this process and not listed here was
 * left by an earlier life of the process ID (or a run that threw before releasing it): taken over.
 */
const held = new Set<string>();

/** Takes the lock file of these folders; a lock left by a process that no longer runs is taken over. */
function lock(targets: readonly string[]): string {
  const file = sidecar(targets[0], 'lock');
  if (held.has(file)) {
    throw new OutputError(`output folder ${targets[0]} is being written by this process already (lock ${file}); finish or abandon that write first`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let tries = 0; tries < 2; tries++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      held.add(file);
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && pidAlive(holder)) {
        throw new OutputError(`output folder ${targets[0]} is being written by process ${holder} (lock ${file}); wait for it to finish`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new OutputError(`could not take the lock ${file}; another synthesis keeps taking it`);
}

function unlock(file: string): void {
  held.delete(file);
  fs.rmSync(file, { force: true });
}

function fsyncPath(p: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot open or fsync a folder; the rename order still holds for a crash of
    // the process, which is what the promise covers. Power loss is covered where fsync works.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fsync every file and folder under `dir`, so the journal never commits data still in cache. */
function fsyncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(p);
    else if (entry.isFile()) fsyncPath(p);
  }
  fsyncPath(dir);
}

/** Writes `text` to `file` by a temporary file beside it and a rename: all or nothing. */
function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncPath(path.dirname(file));
}

function readJournal(file: string): Pair[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new OutputError(`the output journal ${file} cannot be read (${(e as Error).message}); it was written atomically, so something else changed it: restore it or delete it and run the synthesis again`);
  }
  if (journal?.version !== JOURNAL_VERSION || !Array.isArray(journal.pairs)) {
    throw new OutputError(`the output journal ${file} is not one this version writes (version ${JSON.stringify(journal?.version)}); delete it and run the synthesis again`);
  }
  const dir = path.dirname(file);
  return journal.pairs.map((p) => ({ target: path.resolve(dir, p.target), staging: path.resolve(dir, p.staging), backup: path.resolve(dir, p.backup) }));
}

/** Completes a committed swap: every staging folder still waiting goes into place. */
function rollForward(pairs: readonly Pair[]): void {
  for (const p of pairs) {
    if (!fs.existsSync(p.staging)) continue; // already in place
    if (fs.existsSync(p.target)) {
      if (fs.existsSync(p.backup)) {
        throw new OutputError(`cannot complete the interrupted swap of ${p.target}: both it and ${p.backup} exist; keep the one you want as ${p.target} and delete the other and ${p.staging}`);
      }
      fs.renameSync(p.target, p.backup);
    }
    fs.renameSync(p.staging, p.target);
  }
}

/** Removes staging and backup folders of earlier runs beside each target. */
function removeLeftovers(targets: readonly string[]): void {
  for (const t of targets) {
    const parent = path.dirname(t);
    if (!fs.existsSync(parent)) continue;
    const prefixes = leftoverPrefixes(t);
    for (const name of fs.readdirSync(parent)) {
      if (prefixes.some((prefix) => name.startsWith(prefix))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

/** Links the kept entries of `target` into `staging` (see WriteOutputsOptions.keep). */
function carryOver(target: string, staging: string, keep: (relativePath: string) => boolean): void {
  if (!fs.existsSync(target)) return;
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(target, rel), { withFileTypes: true })) {
      const r = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (keep(r)) {
        if (fs.existsSync(path.join(staging, rel)) && !fs.existsSync(path.join(staging, r))) linkTree(path.join(target, r), path.join(staging, r));
      } else if (entry.isDirectory()) {
        walk(r);
      }
    }
  };
  walk('');
}

function linkTree(from: string, to: string): void {
  const stat = fs.lstatSync(from);
  if (stat.isDirectory()) {
    fs.mkdirSync(to);
    for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else if (stat.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else {
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to); // a file system without hard links
    }
  }
}

/**
 * Brings these output folders to a consistent state after a run that was killed: a committed
 * swap is completed (every folder gets its new contents), an uncommitted one is dropped (every
 * folder keeps its old contents), and staging and backup leftovers are removed. Every run of
 * `writeOutputsAtomically` does this first. Returns whether an interrupted swap was completed.
 */
export function recoverOutputs(dirs: readonly string[]): boolean {
  const targets = resolveTargets(dirs);
  const lockFile = lock(targets);
  try {
    return recoverLocked(targets);
  } finally {
    unlock(lockFile);
  }
}

function recoverLocked(targets: readonly string[]): boolean {
  const journalFile = sidecar(targets[0], 'journal');
  const pairs = readJournal(journalFile);
  if (pairs) {
    rollForward(pairs);
    fs.rmSync(journalFile, { force: true });
  }
  removeLeftovers(targets);
  return pairs !== undefined;
}

/**
 * Whether these output folders are between two states: a swap was committed but a kill stopped
 * it before every folder was in place. A reader (such as `check`) should then refuse to read
 * them and ask for `recoverOutputs` or another synthesis run.
 */
export function hasInterruptedSwap(dirs: readonly string[]): boolean {
  return fs.existsSync(sidecar(resolveTargets(dirs)[0], 'journal'));
}

/** Output folders being written (see `openOutputFolders`): fill `staging`, then commit or abandon. */
export interface OutputFolders {
  /** One fresh, empty staging folder per target, in the order given, beside it on the same file system. */
  readonly staging: readonly string[];
  /**
   * Puts every staging folder in place of its target, all or none (a kill at any point leaves
   * the old folders or the new ones, completed by the next run). Kept entries of the old folders
   * are carried over first. Releases the lock.
   */
  commit(): void;
  /** Removes the staging folders, leaving every target as it was, and releases the lock. Idempotent. */
  abandon(): void;
}

/**
 * Starts writing every output folder in `dirs` in full, or none: takes their lock, completes or
 * drops the swap of a run that was killed, and makes one empty staging folder per target. The
 * caller writes the complete new contents into `staging`, over as much time as it needs (files
 * can be written as they are rendered, so they need not all be held in memory), then calls
 * `commit` or `abandon`. Until `commit`, nothing in `dirs` changes; a process killed before it
 * leaves the targets as they were, and the next run removes its staging folders. Files the new
 * contents no longer have disappear with the old folder: the folders are owned by this call.
 */
export function openOutputFolders(dirs: readonly string[], options: WriteOutputsOptions = {}): OutputFolders {
  const targets = resolveTargets(dirs);
  const lockFile = lock(targets);
  step('locked');
  let pairs: Pair[];
  try {
    recoverLocked(targets);
    step('recovered');
    const id = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    pairs = targets.map((target) => ({
      target,
      staging: path.join(path.dirname(target), `.${path.basename(target)}.${TAG}-staging-${id}`),
      backup: path.join(path.dirname(target), `.${path.basename(target)}.${TAG}-old-${id}`),
    }));
    for (const p of pairs) fs.mkdirSync(p.staging, { recursive: true });
  } catch (e) {
    unlock(lockFile);
    throw e;
  }
  let open = true;
  const abandon = () => {
    if (!open) return;
    open = false;
    try {
      for (const p of pairs) fs.rmSync(p.staging, { recursive: true, force: true });
    } finally {
      unlock(lockFile);
    }
  };
  const commit = () => {
    if (!open) throw new OutputError(`the output folders ${dirs.join(', ')} were already committed or abandoned`);
    try {
      const keep = options.keep;
      if (keep) pairs.forEach((p, i) => carryOver(p.target, p.staging, (rel) => keep(dirs[i], rel)));
      step('rendered');
      for (const p of pairs) fsyncTree(p.staging);
    } catch (e) {
      abandon();
      throw e;
    }
    open = false;
    try {
      swap(targets, pairs);
    } finally {
      unlock(lockFile);
    }
  };
  return { staging: pairs.map((p) => p.staging), commit, abandon };
}

/** Commits the journal, then moves each staging folder into place and removes the old ones. */
function swap(targets: readonly string[], pairs: readonly Pair[]): void {
  const journalFile = sidecar(targets[0], 'journal');
  const rel = (p: string) => path.relative(path.dirname(journalFile), p);
  const journal: Journal = { version: JOURNAL_VERSION, pairs: pairs.map((p) => ({ target: rel(p.target), staging: rel(p.staging), backup: rel(p.backup) })) };
  writeFileAtomic(journalFile, `${JSON.stringify(journal, undefined, 2)}\n`);
  step('committed');
  pairs.forEach((p, i) => {
    if (fs.existsSync(p.target)) {
      fs.renameSync(p.target, p.backup);
      step(`moved-old-${i}`);
    }
    fs.renameSync(p.staging, p.target);
    fsyncPath(path.dirname(p.target));
    step(`placed-new-${i}`);
  });
  fs.rmSync(journalFile, { force: true });
  step('journal-removed');
  for (const p of pairs) fs.rmSync(p.backup, { recursive: true, force: true });
  step('cleaned');
}

/**
 * Writes every output folder in `dirs` in full, or none. `render` receives one fresh, empty
 * staging folder per target (same order), beside it on the same file system, and writes the
 * complete contents there; frameworks can write into them (cdk8s `new App({ outdir })`, cdktf
 * `new App({ outdir })`). If `render` throws, nothing in `dirs` changes. Otherwise each target is
 * replaced by its staging folder: files the synthesis no longer produces disappear with the old
 * folder. The folders are owned by this call: anything else kept in them is removed.
 */
export function writeOutputsAtomically(dirs: readonly string[], render: (staging: readonly string[]) => void, options: WriteOutputsOptions = {}): void {
  const folders = openOutputFolders(dirs, options);
  try {
    render(folders.staging);
  } catch (e) {
    folders.abandon();
    throw e;
  }
  folders.commit();
}

/**
 * Writes output folders given as files in memory, all or nothing (see `writeOutputsAtomically`).
 * Keys of `outputs` are the folders; each value maps relative paths to contents.
 */
export function writeOutputFolders(outputs: ReadonlyMap<string, OutputFiles>, options: WriteOutputsOptions = {}): void {
  const dirs = [...outputs.keys()];
  const checked = dirs.map((dir) => [dir, [...outputs.get(dir)!].map(([rel, content]) => [checkRelative(dir, rel), content] as const)] as const);
  writeOutputsAtomically(dirs, (staging) => {
    checked.forEach(([, files], i) => {
      for (const [rel, content] of files) writeNewFile(staging[i], rel, content);
    });
  }, options);
}

/**
 * Writes `content` to the new file `rel` (a relative path, `/`-separated) inside `folder`, a
 * staging folder of `openOutputFolders`; fails if the path leaves the folder or the file exists,
 * so two outputs can never overwrite each other.
 */
export function writeStagedFile(folder: string, rel: string, content: string | Uint8Array): void {
  writeNewFile(folder, checkRelative(folder, rel), content);
  step('staged');
}

function writeNewFile(folder: string, rel: string, content: string | Uint8Array): void {
  const file = path.join(folder, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { flag: 'wx' });
}

function checkRelative(dir: string, rel: string): string {
  const normal = path.posix.normalize(rel.split(path.sep).join('/'));
  if (rel === '' || path.isAbsolute(rel) || normal === '.' || normal.startsWith('../') || normal === '..' || rel.includes('\0')) {
    throw new OutputError(`output file "${rel.slice(0, 80)}" of folder ${dir} is not a relative path inside the folder; name files relative to it, without ".."`);
  }
  return normal;
}

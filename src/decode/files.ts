// Reading input files without trusting them: only regular files are read (a symlink to
// /dev/zero, a FIFO or a device is refused by name, and nothing ever blocks on a FIFO), and
// each file is read up to a size cap, so no input can make `check` hang or run out of memory.
import * as fs from 'fs';
import * as path from 'path';
import { ReadError } from './read-error';

export { ReadError };

/**
 * Files larger than this are refused unless the caller raises the cap: 32 MiB, above what the
 * library writes for 5,000 identities in one stack (12 MB of Terraform JSON, 19 MB of YAML per
 * namespace file), below what exhausts the heap when parsed.
 */
export const DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024;

/** Folders never entered: tool caches and dependencies, not configuration. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform']);

/**
 * Files under `dir` whose name passes `accept`, sorted; `dir` itself when it is a file.
 * Symlinked folders are not followed (a loop would never end); a matching name that is not a
 * regular file is a read error.
 */
export function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ReadError(`${dir}: no such directory`);
  }
  // One file given by name is read whatever its name, as `kubectl apply -f <file>` does.
  if (stat.isFile()) return [dir];
  if (!stat.isDirectory()) throw new ReadError(`${dir}: neither a directory nor a regular file`);
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new ReadError(`${d}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(p);
      } else if (accept(entry.name)) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** What a file system object is, in words, for a refusal. */
function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * The bytes of `file`, which must be a regular file (directly or through a symlink) of at most
 * `maxSize` bytes. The type is checked before opening, and again on the open descriptor, which
 * is opened non-blocking: a file swapped for a FIFO in between still cannot block the read.
 */
export function readRegularFile(file: string, maxSize: number): Buffer {
  let stat: fs.Stats;
  try {
    const link = fs.lstatSync(file);
    stat = link.isSymbolicLink() ? fs.statSync(file) : link;
    if (!stat.isFile()) {
      throw new ReadError(`${file}: ${link.isSymbolicLink() ? `a symlink to ${kindOf(stat)}` : kindOf(stat)}; only regular files are read`);
    }
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'a symlink to nothing' : (e as Error).message}`);
  }
  if (stat.size > maxSize) throw new ReadError(tooLarge(file, stat.size, maxSize));
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw new ReadError(`${file}: ${kindOf(opened)}; only regular files are read`);
    // Read one byte past the cap: a file growing while it is read is refused, not truncated.
    const buffer = Buffer.alloc(Math.min(maxSize, Math.max(opened.size, 0)) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        if (length > maxSize) throw new ReadError(tooLarge(file, length, maxSize));
        break;
      }
    }
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(`${file}: ${(e as Error).message}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: number, maxSize: number): string {
  return `${file}: larger than ${maxSize} bytes (${size > maxSize ? 'at least ' : ''}${size}); raise the limit with --max-file-size <bytes> if the file is meant to be this large`;
}

/**
 * The text of a file as Kubernetes' tooling and Terraform decode it: a UTF-8 or UTF-16 byte
 * order mark selects the encoding (and is dropped), anything else is UTF-8. kubectl reads files
 * through `unicode.BOMOverride(unicode.UTF8.NewDecoder())` (kubernetes/cli-runtime
 * pkg/resource/visitor.go), which does the same.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** At most `max` characters of `text` on one line, for messages that quote input. */
export function excerpt(text: string, max = 60): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}...` : line);
}

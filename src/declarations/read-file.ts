// Reading a declarations file (identities.yaml, or a .json file) from disk, bounded: only a
// regular file, up to a size cap, and YAML aliases counted before they expand. What cannot be
// read or parsed is a ReadError naming the file (and the line and column); what parses is left
// to the loader, which checks every value.
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DEFAULT_MAX_FILE_SIZE, decodeText, readRegularFile } from '../decode/files';
import { ReadError } from '../decode/read-error';

export { ReadError };

/**
 * Alias uses the YAML reader expands, counting the aliases inside an aliased node (the `yaml`
 * package's `maxAliasCount`): ten times the 2,000 trusted profiles an account may hold, each
 * entry using an anchor or two.
 */
export const MAX_ALIAS_COUNT = 20_000;

export interface ReadDeclarationsOptions {
  /**
   * Files larger than this many bytes are refused.
   * @default 33554432 (32 MiB)
   */
  readonly maxFileSize?: number;
}

/** `file` as messages show it: relative to the working directory when it lies inside it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * The parsed content of a declarations file: JSON when the name ends in `.json`, else YAML
 * (1.2, with `<<` merge keys, so anchors can share a cluster list). Throws a `ReadError`
 * (`<file>[:line:col]: <why>`) when the file cannot be read or parsed.
 */
export function readDeclarationsFile(file: string, options: ReadDeclarationsOptions = {}): unknown {
  const shown = shownPath(file);
  let text: string;
  // readRegularFile is written for files found by listing a folder; a path that names nothing
  // is said plainly here.
  if (!fs.existsSync(file) && !isSymlink(file)) throw new ReadError(`${shown}: no such file`);
  try {
    text = decodeText(readRegularFile(file, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE));
  } catch (e) {
    if (e instanceof ReadError) throw new ReadError(e.message.replace(file, shown));
    throw new ReadError(`${shown}: ${(e as Error).message}`);
  }
  try {
    // Anchors (`&clusters`, `*clusters`) keep a file of many identities short, so aliases are
    // expected; the bound stops an alias bomb (aliases of aliases) before it expands.
    return file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { merge: true, maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new ReadError(`${shown}${positionOf(e)}: ${parseError(e)}`);
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function positionOf(e: unknown): string {
  const pos = (e as YAML.YAMLParseError).linePos?.[0];
  return pos ? `:${pos.line}:${pos.col}` : '';
}

/** The parser's error in a line that says what to do. */
function parseError(e: unknown): string {
  const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (/Excessive alias count/.test(message)) {
    return `the YAML aliases expand to more than ${MAX_ALIAS_COUNT.toLocaleString('en-US')} alias uses (aliases inside aliased nodes multiply); a declarations file needs far fewer: use anchors for leaves such as the cluster list, not for nodes that hold other aliases`;
  }
  if (e instanceof RangeError || /Maximum call stack size exceeded/.test(message)) {
    return 'the file nests too deeply to read (a declarations file needs about 7 levels); flatten it';
  }
  return message;
}

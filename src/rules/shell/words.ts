// What a shell word is known to hold without running anything: literal text, glob characters,
// and parts whose value is unknown (an unset variable's source, a command's output). Unknown
// parts derived from a token path (`$(dirname "$f")`, `${f%/*}`) are tainted.
import * as path from 'path';

export type Segment =
  | { readonly kind: 'text'; readonly text: string; readonly glob: boolean }
  | { readonly kind: 'unknown'; readonly tainted: boolean; readonly name?: string };

export type Word = readonly Segment[];

export const text = (value: string, glob = false): Segment => ({ kind: 'text', text: value, glob });

/** Text the shell expands into other text: `*`, `?`, `[...]`, and bash's `{a,b}` brace lists. */
export const PATTERN_CHARS = /[*?[]|\{[^{}]*,[^{}]*\}/;
export const unknown = (tainted = false, name?: string): Segment => ({ kind: 'unknown', tainted, ...(name ? { name } : {}) });

/** The word's text when it is all known (glob characters kept as written). */
export function known(word: Word): string | undefined {
  return word.every((s) => s.kind === 'text') ? word.map((s) => (s as { text: string }).text).join('') : undefined;
}

export function isTainted(word: Word): boolean {
  return word.some((s) => s.kind === 'unknown' && s.tainted);
}

/** Where the token lives in one container: its files and the folders holding them. */
export interface TokenPaths {
  readonly files: readonly string[];
  readonly dirs: readonly string[];
}

export type Reference = 'no' | 'yes' | 'maybe';

/**
 * Whether a word names a token file or its folder: as a whole, or after `@`, `=`, `:` or `,`
 * (`cr_token@<file>`, `--file=<file>`). Globs match as the shell would expand them; an unknown
 * part may hold anything, so a word whose known parts fit a token path is a `maybe`.
 */
export function refersToToken(word: Word, tokens: TokenPaths, cwd: string | undefined): Reference {
  if (isTainted(word)) return 'yes';
  // A path inside a larger text (code given to python -c, a JSON document, a URL) still names the file.
  // It must stand as a path there: not part of a URL or of a longer name (`/a` in `https://x/a`).
  if (mentionsTokenPath(joinedText(word), tokens)) return 'yes';
  let result: Reference = 'no';
  for (const candidate of candidates(word)) {
    const r = candidateRefers(candidate, tokens, cwd);
    if (r === 'yes') return 'yes';
    if (r === 'maybe') result = 'maybe';
  }
  return result;
}

// One pattern per set of token paths, made once: an alternation matches where any of its paths
// would alone, the guards on either side applying to each. Analyses share few sets (one per
// container layout), so a handful are kept.
const mentions = new Map<string, RegExp | undefined>();

/**
 * Whether `text` holds one of the token paths (longer than `/`) standing as a path: not preceded
 * by a word character, `.`, `:`, `/` or `-`, nor followed by a word character, `.` or `-`.
 */
export function mentionsTokenPath(text: string, tokens: TokenPaths): boolean {
  return mentionOf(tokens)?.test(text) ?? false;
}

/** The pattern of `mentionsTokenPath`, or undefined when no path is long enough to tell. */
function mentionOf(tokens: TokenPaths): RegExp | undefined {
  // One analysis asks about the same paths object thousands of times.
  if (mentionsByPaths.has(tokens)) return mentionsByPaths.get(tokens);
  const key = `${tokens.files.join('\u0000')}\u0001${tokens.dirs.join('\u0000')}`;
  let re = mentions.get(key);
  if (!mentions.has(key)) {
    const paths = [...tokens.files, ...tokens.dirs].filter((p) => p.length > 1);
    re = paths.length === 0 ? undefined : new RegExp(`(?<![\\w.:/-])(?:${paths.map(escape).join('|')})(?![\\w.-])`);
    if (mentions.size >= 64) mentions.delete(mentions.keys().next().value!);
    mentions.set(key, re);
  }
  mentionsByPaths.set(tokens, re);
  return re;
}
const mentionsByPaths = new WeakMap<TokenPaths, RegExp | undefined>();

/** The word's text with each unknown part as a NUL, which no path holds. */
export function joinedText(word: Word): string {
  if (word.length === 1) return word[0].kind === 'text' ? word[0].text : '\u0000';
  return word.map((s) => (s.kind === 'text' ? s.text : '\u0000')).join('');
}

function candidates(word: Word): Word[] {
  const out: Word[] = [word];
  word.forEach((s, i) => {
    if (s.kind !== 'text' || out.length > 8) return;
    // After a separator only an absolute path counts: `sed -e ':a'` names no file `a`.
    for (const m of s.text.matchAll(/[@=:,](?=\/)/g)) out.push([text(s.text.slice(m.index! + 1), s.glob), ...word.slice(i + 1)]);
  });
  return out;
}

function candidateRefers(word: Word, tokens: TokenPaths, cwd: string | undefined): Reference {
  const first = word[0];
  if (first === undefined || (first.kind === 'text' && first.text === '' && word.length === 1)) return 'no';
  const relative = first.kind === 'text' && !first.text.startsWith('/');
  const literal = known(word);
  if (relative && cwd === undefined) {
    // Where the image starts is not in the manifest: a relative word is a token file only by its name.
    // A bare word (`-w`, `1`) or a sed expression (`s/x/p`) is far more often not a file: only a
    // word written as a path to the file (`./sa-token`, `tokens/sa-token`) is taken for one.
    if (literal === undefined || literal.includes('://')) return 'no';
    const parts = normalize(literal).split('/');
    return tokens.files.some((f) => parts[parts.length - 1] === path.posix.basename(f)
      && (/^\.\.?\//.test(literal) || parts[parts.length - 2] === path.posix.basename(path.posix.dirname(f)))) ? 'maybe' : 'no';
  }
  if (literal !== undefined && !word.some((s) => s.kind === 'text' && s.glob && PATTERN_CHARS.test(s.text))) {
    const absolute = normalize(relative ? path.posix.join(cwd!, literal) : literal);
    if (tokens.files.includes(absolute) || tokens.dirs.includes(absolute)) return 'yes';
    // Inside a token folder: only written out in full (a relative word there is often no path at all).
    if (!relative && tokens.dirs.some((d) => absolute.startsWith(`${d}/`))) return 'yes';
    // A folder above the token's, deep enough to be specific (`/var/run/secrets`): find, ls -R, tar...
    if (!relative && absolute.split('/').length >= 4 && tokens.dirs.some((d) => d.startsWith(`${absolute}/`))) return 'yes';
    return 'no';
  }
  // A pattern: globs and unknown parts stand for any text.
  const knownText = word.filter((s) => s.kind === 'text').map((s) => (s as { text: string }).text).join('');
  const hasUnknown = word.some((s) => s.kind === 'unknown');
  let source = word.map((s) => (s.kind === 'unknown' ? '.*' : s.glob ? globToRegex(s.text) : escape(s.text))).join('');
  if (relative) source = `${escape(cwd!.replace(/\/$/, ''))}/${source}`;
  const re = new RegExp(`^${source}$`, 's');
  const hit = [...tokens.files, ...tokens.dirs].find((p) => re.test(p) || re.test(`${p}/`));
  if (hit === undefined) return 'no';
  if (!hasUnknown) return 'yes';
  // An unknown part could be anything: say "maybe" only when the known text points at a path.
  const basenames = [...tokens.files, ...tokens.dirs].map((p) => path.posix.basename(p));
  return knownText.includes('/') || basenames.some((b) => b !== '' && knownText.includes(b)) ? 'maybe' : 'no';
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '{' && /^\{[^{}]*,[^{}]*\}/.test(glob.slice(i))) {
      // A brace list is each of its words in turn (bash; POSIX sh leaves it as text, which this also matches).
      const end = glob.indexOf('}', i);
      const words = glob.slice(i + 1, end).split(',');
      out += `(?:${[...words.map(globToRegex), escape(glob.slice(i, end + 1))].join('|')})`;
      i = end;
    }
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += escape(c);
  }
  return out;
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function normalize(file: string): string {
  // Most paths are normal already (no `.` or `..` segment, no `//`, no trailing `/`).
  if (file !== '' && !/(?:^|\/)\.\.?(?:\/|$)|\/\/|.\/$/.test(file)) return file;
  const n = path.posix.normalize(file);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

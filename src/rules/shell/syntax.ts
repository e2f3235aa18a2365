// The shell parser: mvdan-sh, the JavaScript build of mvdan/sh (gopherjs), which parses
// synchronously as cdk8s validation needs. It ships no types: nodes are read as `any`, by the
// field names of mvdan.cc/sh/v3/syntax. Operators are numbers whose values are not part of its
// API, so they are learnt once by parsing one probe of each.
let loaded: any;

/**
 * mvdan-sh, loaded on first use (it is large, and most runs parse no shell). Its gopherjs
 * runtime assigns `global.require` when it loads; that is put back, so code that relies on
 * the global `require` (a REPL, `node -e`) keeps resolving from where it was.
 */
export function shellSyntax(): any {
  if (loaded === undefined) {
    const g = globalThis as any;
    const had = Object.prototype.hasOwnProperty.call(g, 'require');
    const before = g.require;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('mvdan-sh').syntax;
    } finally {
      if (had) g.require = before;
      else delete g.require;
    }
  }
  return loaded;
}

export type Node = any;

/** A node's type name (`CallExpr`, `Word`, ...); '' for none. */
export function nodeType(node: Node): string {
  return typeof node?.type === 'string' ? node.type : '';
}

// Every field read of a gopherjs object converts it (slices are copied on each access), which
// made the analysis of one script take tens of milliseconds: the tree is converted once into
// plain objects that keep mvdan/sh's field names, and only the fields the analysis reads.
const FIELDS: Record<string, readonly string[]> = {
  Stmt: ['Cmd', 'Redirs'],
  Redirect: ['Op', 'Word', 'Hdoc'],
  CallExpr: ['Assigns', 'Args'],
  Assign: ['Name', 'Value', 'Array', 'Append', 'Naked'],
  ArrayExpr: ['Elems'],
  ArrayElem: ['Value'],
  Word: ['Parts'],
  Lit: ['Value'],
  SglQuoted: ['Value'],
  DblQuoted: ['Parts'],
  ParamExp: ['Param', 'Length', 'Excl', 'Index', 'Slice', 'Repl', 'Exp'],
  Expansion: ['Op', 'Word'],
  CmdSubst: ['Stmts'],
  ProcSubst: ['Stmts'],
  BinaryCmd: ['Op', 'X', 'Y'],
  Block: ['Stmts'],
  Subshell: ['Stmts'],
  IfClause: ['Cond', 'Then', 'Else'],
  WhileClause: ['Cond', 'Do'],
  ForClause: ['Loop', 'Do'],
  WordIter: ['Name', 'Items'],
  CaseClause: ['Word', 'Items'],
  CaseItem: ['Stmts'],
  FuncDecl: ['Name', 'Body'],
  DeclClause: ['Variant', 'Args'],
  TestClause: ['X'],
  UnaryTest: ['Op', 'X'],
  BinaryTest: ['Op', 'X', 'Y'],
  ParenTest: ['X'],
  TimeClause: ['Stmt'],
  CoprocClause: ['Stmt'],
};

/** Fields holding values that are not syntax nodes (NodeType refuses them), by the type they have. */
const NON_NODE_FIELDS: Record<string, string> = { Exp: 'Expansion', Repl: 'Replace', Slice: 'Slice' };

function plain(node: Node, depth = 0, field = ''): Node {
  if (node === null || node === undefined || depth > 200) return undefined;
  if (Array.isArray(node)) return node.map((n) => plain(n, depth + 1));
  if (typeof node !== 'object') return node;
  const syntax = shellSyntax();
  let type: string | undefined = NON_NODE_FIELDS[field];
  if (type === undefined) {
    try {
      type = syntax.NodeType(node) as string;
    } catch {
      return { type: 'Unknown' };
    }
  }
  const out: Record<string, unknown> = { type };
  if (type === 'Stmt') {
    out.pos = node.Pos().Offset();
    out.end = node.End().Offset();
  }
  const fields = FIELDS[type];
  if (fields === undefined && !(field in NON_NODE_FIELDS)) {
    // Arithmetic, let, [ ] patterns...: hold no commands, but may hold substitutions.
    const substitutions: Node[] = [];
    syntax.Walk(node, (n: Node) => {
      const t = n ? syntax.NodeType(n) : '';
      if (t === 'CmdSubst' || t === 'ProcSubst') {
        substitutions.push(plain(n, depth + 1));
        return false;
      }
      return true;
    });
    out.substitutions = substitutions;
    return out;
  }
  for (const f of fields ?? []) {
    const value = node[f];
    out[f] = typeof value === 'object' && value !== null ? plain(value, depth + 1, f) : value;
  }
  return out;
}

// Many workloads run the same script (every token-fetch Job runs the library's): parse each
// text once. Trees are only read, never changed, so sharing them is safe.
const parsed = new Map<string, Node[] | null>();
const PARSE_CACHE_SIZE = 64;

/** The parsed statements of `src` (bash dialect, a superset of POSIX sh), or undefined when it does not parse. */
export function parseScript(src: string): Node[] | undefined {
  if (parsed.size === 0) seedParses();
  let stmts = parsed.get(src);
  if (stmts === undefined) {
    stmts = parseScriptAnew(src) ?? null;
    if (parsed.size >= PARSE_CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
    parsed.set(src, stmts);
  }
  return stmts ?? undefined;
}

/** Empties the parse cache; the next parse seeds it again. */
export function forgetParses(): void {
  parsed.clear();
}

/** Every text parsed since the cache was last emptied, with its statements (for the build's seed). */
export function parsedSoFar(): { text: string; stmts: Node[] }[] {
  return [...parsed].filter(([, stmts]) => stmts !== null).map(([text, stmts]) => ({ text, stmts: stmts! }));
}

/** `parseScript` without the cache or the seed: what the parser says of `src` now. */
export function parseScriptAnew(src: string): Node[] | undefined {
  try {
    return plain([...shellSyntax().NewParser().Parse(src, '').Stmts]) as Node[];
  } catch {
    return undefined;
  }
}

/**
 * The parses `npm run build` made of the library's own scripts (scripts/seed-shell-parses.js):
 * loading mvdan-sh and parsing the token-fetch script the first time costs about a quarter of a
 * second, in every run of `check` and `synth`, always for the same text. The seed is the tree
 * this file makes of that text, keyed by the text, and used only with the mvdan-sh version that
 * made it; any other text is parsed. Absent (running from the sources), nothing is seeded.
 */
function seedParses(): void {
  const seed = parseSeed();
  for (const { text, stmts } of seed?.scripts ?? []) parsed.set(text, stmts);
}

/** The file the build writes beside this one. */
export const PARSE_SEED_FILE = 'parse-seed.json';

export interface ParseSeed {
  /** The version of mvdan-sh that parsed: operator numbers and trees are its own. */
  readonly parser: string;
  readonly operators: Operators;
  readonly scripts: readonly { readonly text: string; readonly stmts: Node[] }[];
}

let seedRead: ParseSeed | null | undefined;

function parseSeed(): ParseSeed | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (seedRead === undefined) seedRead = readParseSeed((require('path') as typeof import('path')).join(__dirname, PARSE_SEED_FILE), parserVersion()) ?? null;
  return seedRead ?? undefined;
}

/**
 * The seed in `file` if it was made by mvdan-sh `version` and has the seed's shape; otherwise
 * undefined: a missing, unreadable or foreign seed only costs the parses it would have saved.
 */
export function readParseSeed(file: string, version: string | undefined): ParseSeed | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('fs') as typeof import('fs');
    if (version === undefined || !fs.existsSync(file)) return undefined;
    const seed = JSON.parse(fs.readFileSync(file, 'utf8')) as ParseSeed;
    const shaped = seed !== null && typeof seed === 'object' && seed.parser === version && typeof seed.operators === 'object' && seed.operators !== null
      && Array.isArray(seed.scripts) && seed.scripts.every((s) => s !== null && typeof s?.text === 'string' && Array.isArray(s.stmts));
    return shaped ? seed : undefined;
  } catch {
    return undefined;
  }
}

/** The installed mvdan-sh's version, read without loading the parser. */
export function parserVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('mvdan-sh/package.json').version as string;
  } catch {
    return undefined;
  }
}

let lastSource: { text: string; bytes?: Buffer } | undefined;

/** The source text of a node, from its byte offsets (mvdan-sh counts bytes of UTF-8). */
export function sourceOf(src: string, node: Node): string {
  try {
    if (lastSource?.text !== src) {
      // In ASCII text (most scripts) a byte offset is a character offset: no copy to bytes.
      // eslint-disable-next-line no-control-regex
      lastSource = { text: src, bytes: /^[\x00-\x7f]*$/.test(src) ? undefined : Buffer.from(src, 'utf8') };
    }
    const bytes = lastSource.bytes;
    return bytes === undefined ? src.slice(node.pos, node.end) : bytes.subarray(node.pos, node.end).toString('utf8');
  } catch {
    return '';
  }
}

function learn<T extends string>(probes: Record<T, string>, pick: (stmt: Node) => number): Record<T, number> {
  const out = {} as Record<T, number>;
  for (const [name, src] of Object.entries(probes) as [T, string][]) out[name] = pick(parseScriptAnew(src)![0]);
  return out;
}

export type Operators = ReturnType<typeof learnOperators>;

let ops: Operators | undefined;

/** The operator numbers of the installed mvdan-sh, learnt by parsing a probe of each. */
export function learnOperators() {
  return {
    redirect: learn({ in: 'a <f', out: 'a >f', append: 'a >>f', hereString: 'a <<<w', readWrite: 'a <>f', clobber: 'a >|f', all: 'a &>f', allAppend: 'a &>>f' },
      (s) => s.Redirs[0].Op),
    binary: learn({ and: 'a && b', or: 'a || b', pipe: 'a | b', pipeAll: 'a |& b' }, (s) => s.Cmd.Op),
    param: learn({
      removeSmallPrefix: '${x#a}', removeLargePrefix: '${x##a}', removeSmallSuffix: '${x%a}', removeLargeSuffix: '${x%%a}',
      defaultUnsetOrNull: '${x:-a}', defaultUnset: '${x-a}', assignUnsetOrNull: '${x:=a}', assignUnset: '${x=a}',
      errorUnsetOrNull: '${x:?a}', errorUnset: '${x?a}', alternateUnsetOrNull: '${x:+a}', alternateUnset: '${x+a}',
    }, (s) => s.Cmd.Args[0].Parts[0].Exp.Op),
    unaryTest: learn({
      e: '[[ -e f ]]', f: '[[ -f f ]]', r: '[[ -r f ]]', s: '[[ -s f ]]', d: '[[ -d f ]]', w: '[[ -w f ]]', x: '[[ -x f ]]',
      L: '[[ -L f ]]', h: '[[ -h f ]]', b: '[[ -b f ]]', c: '[[ -c f ]]', p: '[[ -p f ]]', S: '[[ -S f ]]', g: '[[ -g f ]]',
      u: '[[ -u f ]]', k: '[[ -k f ]]', O: '[[ -O f ]]', G: '[[ -G f ]]', N: '[[ -N f ]]', a: '[[ -a f ]]',
    }, (s) => s.Cmd.X.Op),
  };
}

/** Operator numbers of this mvdan-sh build (the build's seed when it was made with it). */
export function operators(): Operators {
  return (ops ??= parseSeed()?.operators ?? learnOperators());
}

/** A JavaScript array of a gopherjs slice (or of nothing). */
export function items(value: unknown): Node[] {
  return Array.isArray(value) ? value : [];
}

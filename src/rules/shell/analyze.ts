// Follows a container's command the way the shell will run it, to find every place the IAM
// token's file (or its folder) is handed to something other than a reader that keeps the token
// off command lines. Variables, `cd`, functions, command substitution, `eval`, nested shells and
// wrappers (`env`, `exec`, `xargs`, ...) are followed; what cannot be followed is reported when
// it could hide a read, with the safe form in the message.
import * as path from 'path';
import { items, Node, nodeType, operators, parseScript, sourceOf } from './syntax';
import { callsIam, Judge, judgeCurl, judgeIbmcloud, literalTokenForms, unwrap } from './programs';
import { known, normalize, PATTERN_CHARS, Reference, refersToToken, Segment, text, TokenPaths, unknown, Word } from './words';

/** One place the token (or its file) is put at risk. */
export interface Leak {
  /** What happens, as a verb phrase: `gives the token file to cat`. */
  readonly what: string;
  /** The command, short. */
  readonly excerpt: string;
}

export interface AnalysisInput {
  readonly tokens: TokenPaths;
  /** The container's environment: literal values, `undefined` for values from a source. */
  readonly env: ReadonlyMap<string, string | undefined>;
  readonly workingDir?: string;
}

/** Programs that name files without reading them, or do nothing with their arguments. */
const NON_READERS = new Set([
  'echo', 'printf', ':', 'true', 'false', 'exit', 'return', 'shift', 'set', 'unset', 'sleep', 'wait', 'kill', 'trap',
  'basename', 'dirname', 'realpath', 'readlink', 'mkdir', 'test', '[', 'cd', 'read', 'export', 'local', 'readonly',
  'declare', 'typeset', 'break', 'continue', 'umask', 'ulimit', 'hash', 'type', 'command -v',
]);
/** Programs whose output is a transformation of a path argument, not of the file. */
const PATH_TRANSFORMERS = new Set(['basename', 'dirname', 'realpath', 'readlink', 'echo', 'printf', 'pwd']);
/** Programs that read a file named as an argument; an argument we cannot see could be the token. */
const READERS = new Set(['cat', 'head', 'tail', 'base64', 'xxd', 'od', 'hexdump', 'less', 'more', 'cut', 'grep', 'sed', 'awk',
  'dd', 'jq', 'openssl', 'cp', 'mv', 'tee', 'strings', 'tr', 'nl', 'sort', 'uniq', 'wc', 'python', 'python3', 'node', 'perl']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox sh']);
const MAX_DEPTH = 8;


class Analysis implements Judge {
  readonly leaks: Leak[] = [];
  /** Token files sent to IAM by curl or ibmcloud reading them itself (the safe forms). */
  readonly sends: string[] = [];
  vars: Map<string, Word>;
  cwd: string | undefined;
  /** The folder `cd -` returns to; unknown until a cd. */
  oldCwd: string | undefined;
  positional: Word[] = [];
  /** `$0`: the word after a `sh -c` script, else the shell's name. */
  arg0: Word = [text('sh')];
  readonly funcs = new Map<string, Node>();
  depth = 0;
  substitutions = 0;
  /** The container can read a token: what the analysis cannot follow is reported. */
  readonly sensitive: boolean;

  constructor(readonly input: AnalysisInput) {
    // A variable naming the token file, set from a source, holds a token path all the same.
    const namesToken = (k: string) => k === 'IBMCLOUD_CR_TOKEN' || k.endsWith('_CR_TOKEN_FILENAME');
    this.vars = new Map([...input.env].map(([k, v]) => [k, v === undefined ? [unknown(namesToken(k), k)] : [text(v)]]));
    this.sensitive = input.tokens.files.length > 0;
    // Without workingDir the image's WORKDIR applies, which the manifest does not tell.
    this.cwd = input.workingDir?.startsWith('/') ? normalize(input.workingDir) : undefined;
  }

  leak(what: string, excerpt: string): void {
    if (!this.leaks.some((l) => l.what === what && l.excerpt === excerpt)) this.leaks.push({ what, excerpt: short(excerpt) });
  }

  sent(excerpt: string, file: Word): void {
    // Only a file known exactly counts as sent: a folder above it or a guess is not a send.
    const text = known(file);
    const target = text === undefined ? undefined : text.replace(/^[^@]*@/, '').replace(/^[^=]*=[<@]/, '');
    if (target === undefined || target === '-') return;
    const absolute = target.startsWith('/') ? normalize(target) : this.cwd === undefined ? undefined : normalize(path.posix.join(this.cwd, target));
    if (absolute !== undefined && this.input.tokens.files.includes(absolute)) this.sends.push(excerpt);
  }

  setVariable(name: string, value: Word): void {
    this.vars.set(name, value);
  }

  refers(word: Word): Reference {
    return refersToToken(word, this.input.tokens, this.cwd);
  }

  // ---- argv (what Kubernetes starts) -------------------------------------------------------

  /** A command as a list of words (the container's argv, or a shell's simple command). */
  command(args: Word[], src: string, ctx: { piped: boolean; stdinFromToken: boolean }): void {
    const argv = args.filter((a) => a.length > 0);
    if (argv.length === 0) return;
    // Unquoted expansion splits at the characters of IFS (blanks unless the script sets it):
    // a program name holding one is taken as the words it splits into, after splitting at blanks
    // too, which can only name more programs. A program really named so cannot be run anyway.
    // With an IFS the analysis cannot read, the program is one it cannot name.
    const ifs = this.vars.get('IFS');
    const ifsText = ifs === undefined ? '' : known(ifs);
    const name = ifsText === undefined ? undefined : known(argv[0]);
    const separators = separatorsOf(ifsText ?? '');
    if (name !== undefined && separators.test(name)) {
      const split = name.split(separators).filter((w) => w !== '').map((w) => [text(w, argv[0].some((s) => s.kind === 'text' && s.glob))]);
      return this.command([...split, ...argv.slice(1)], src, ctx);
    }
    if (name === undefined) {
      if (argv.some((a) => this.refers(a) !== 'no')) this.leak('runs a command the analysis cannot name with the token file as an argument', src);
      return;
    }
    const prog = path.posix.basename(name);
    const rest = argv.slice(1);
    const words = rest.map((a) => known(a));
    literalTokenForms(this, argv, src);

    if (prog === 'busybox' && rest.length > 0) return this.command(rest, src, ctx);
    if (['env', 'exec', 'nohup', 'command', 'builtin', 'time', 'nice', 'timeout', 'stdbuf', 'setsid', 'tini', 'dumb-init', 'gosu', 'su-exec', 'doas', 'sudo', 'chroot'].includes(prog)) {
      return this.command(unwrap(this, prog, rest), src, ctx);
    }
    if (prog === 'xargs') return this.xargs(rest, src, ctx);
    if (SHELLS.has(prog)) return this.shell(rest, src);
    if (prog === 'eval') return this.evalText(rest, src, 'eval');
    if (prog === 'trap') {
      // `trap [--] <action> <signal>...`: the action runs as a script.
      const action = known(rest[0] ?? []) === '--' ? rest[1] : rest[0];
      if (action !== undefined) this.evalText([action], src, 'trap');
      return;
    }
    if (prog === '.' || prog === 'source') {
      if (rest[0] && this.refers(rest[0]) !== 'no') this.leak('runs the token file as a script', src);
      return;
    }
    if (prog === 'cd') {
      const target = rest.find((w, i) => !(i === 0 && /^-[LP]$/.test(known(w) ?? '')));
      const dir = target && known(target);
      // `cd -` goes back to the folder before the last cd (OLDPWD).
      const next = dir === '-' ? this.oldCwd : dir === undefined || PATTERN_CHARS.test(dir) ? undefined
        : dir.startsWith('/') ? normalize(dir) : this.cwd === undefined ? undefined : normalize(path.posix.join(this.cwd, dir));
      this.oldCwd = this.cwd;
      this.cwd = next;
      return;
    }
    if (prog === 'read') {
      for (const w of words) if (w && /^[A-Za-z_]\w*$/.test(w)) this.vars.set(w, [unknown(ctx.stdinFromToken, w)]);
      return;
    }
    if (prog === 'test' || prog === '[' || prog === '[[') return;
    if (prog === 'shift') {
      const count = rest.length === 0 ? '1' : known(rest[0]);
      // A count the analysis cannot read leaves parameters it cannot name: one unknown word,
      // tainted if any of them names the token file, so what runs "$@" is still judged.
      if (count === undefined || !/^\d+$/.test(count)) this.positional = this.positional.length === 0 ? [] : [[unknown(this.positional.some((w) => this.refers(w) !== 'no'))]];
      else this.positional = this.positional.slice(Number(count));
      return;
    }
    if (prog === 'set') {
      const dashes = words.indexOf('--');
      if (dashes >= 0) this.positional = rest.slice(dashes + 1);
      return;
    }
    if (this.funcs.has(prog) && this.depth < MAX_DEPTH) return this.callFunction(prog, rest);
    if (prog === 'curl') return judgeCurl(this, rest, src);
    if (prog === 'ibmcloud') return judgeIbmcloud(this, rest, src);
    if (NON_READERS.has(prog)) {
      if (prog === 'printf') this.printfVariable(rest);
      if (ctx.piped && rest.some((a) => this.refers(a) === 'yes')) this.leak(`pipes the token file's path from ${prog} into another program`, src);
      return;
    }
    for (const a of rest) {
      const r = this.refers(a);
      if (r === 'yes') {
        return this.leak(this.substitutions > 0 ? `reads the token file into a command line with ${prog}` : `gives the token file (or its folder) to ${prog}`, src);
      }
      if (r === 'maybe') return this.leak(`may give the token file to ${prog} (${whyMaybe(a)})`, src);
      if (this.sensitive && READERS.has(prog) && a.every((s) => s.kind === 'unknown') && !(known(a) ?? '').startsWith('-')) {
        return this.leak(`may give the token file to ${prog} (the analysis cannot tell what ${unknownNames(a)} holds)`, src);
      }
    }
  }

  private xargs(args: Word[], src: string, ctx: { piped: boolean; stdinFromToken: boolean }): void {
    let i = 0;
    while (i < args.length) {
      const w = known(args[i]) ?? '';
      if (!w.startsWith('-')) break;
      const file = /^-a(.+)$|^--arg-file=(.+)$/.exec(w);
      if (w === '-a' || w === '--arg-file' || file) {
        const named = file ? [text(file[1] ?? file[2])] : args[i + 1] ?? [];
        if (this.refers(named) !== 'no') this.leak('makes xargs read the token file as arguments', src);
      }
      i += ['-a', '--arg-file', '-d', '-E', '-I', '-L', '-n', '-P', '-s'].includes(w) ? 2 : 1;
    }
    // xargs puts what it reads on the command line it builds: from the token file, that is the token.
    if (ctx.stdinFromToken) this.leak('feeds the token file to xargs, which puts it on a command line', src);
    this.command(args.slice(i).length > 0 ? args.slice(i) : [[text('echo')]], src, ctx);
  }

  private shell(args: Word[], src: string): void {
    let i = 0;
    let dashC = false;
    while (i < args.length) {
      const w = known(args[i]) ?? '';
      if (w === '--') { i += 1; break; }
      if (!/^[-+]/.test(w) || w === '-' || w === '+') break;
      if (/^[-+][A-Za-z]*c/.test(w)) dashC = true;
      // `-o pipefail`, `-euo pipefail`: the option name is the next word.
      i += /^[-+][A-Za-z]*o$/.test(w) || w === '-O' || w === '+O' ? 2 : 1;
    }
    if (!dashC) {
      // `sh <file>` runs a script file: the token file as one reads it.
      if (args[i] && this.refers(args[i]) !== 'no') this.leak('runs the token file as a script', src);
      return;
    }
    const script = args[i];
    if (script === undefined) return;
    const saved = this.positional;
    const savedArg0 = this.arg0;
    this.positional = args.slice(i + 2);
    this.arg0 = args[i + 1] ?? [text('sh')];
    this.evalText([script], src, 'sh -c');
    this.positional = saved;
    this.arg0 = savedArg0;
  }

  private evalText(args: Word[], src: string, by: string): void {
    const joined: Segment[] = [];
    args.forEach((a, i) => joined.push(...(i > 0 ? [text(' ')] : []), ...a));
    const script = known(joined);
    if (script === undefined) {
      if (this.sensitive) this.leak(`runs a script through ${by} that the analysis cannot read (${unknownNames(joined)})`, src);
      return;
    }
    this.script(script);
  }

  private callFunction(name: string, args: Word[]): void {
    const saved = this.positional;
    this.positional = args;
    this.depth += 1;
    this.statement(this.funcs.get(name)!.body, this.funcs.get(name)!.src, { piped: false });
    this.depth -= 1;
    this.positional = saved;
  }

  private printfVariable(args: Word[]): void {
    const v = args.findIndex((a) => known(a) === '-v');
    const name = v >= 0 ? known(args[v + 1] ?? []) : undefined;
    if (name) this.vars.set(name, [unknown(args.slice(v + 2).some((a) => this.refers(a) === 'yes'), name)]);
  }

  // ---- shell syntax -------------------------------------------------------------------------

  script(src: string): void {
    if (this.depth >= MAX_DEPTH) {
      if (this.sensitive) this.leak('nests scripts deeper than the analysis follows', src);
      return;
    }
    const stmts = parseScript(src);
    if (stmts === undefined) {
      if (this.sensitive) this.leak('runs a shell script that does not parse, so the analysis cannot follow it', src);
      return;
    }
    this.depth += 1;
    for (const s of stmts) this.statement(s, src, { piped: false });
    this.depth -= 1;
  }

  statement(stmt: Node, src: string, ctx: { piped: boolean; stdinFromToken?: boolean }): void {
    if (!stmt) return;
    const { redirect } = operators();
    let stdinFromToken = ctx.stdinFromToken ?? false;
    const cmd = stmt.Cmd;
    const args = nodeType(cmd) === 'CallExpr' ? items(cmd.Args) : [];
    // Arguments first: a redirect's safety depends on whether the program reads stdin for @-.
    const words = args.flatMap((a) => this.fields(a, src));
    for (const r of items(stmt.Redirs)) {
      if (r.Hdoc) this.word(r.Hdoc, src);
      if (!r.Word) continue;
      const target = this.word(r.Word, src);
      if (this.refers(target) === 'no') continue;
      if (r.Op === redirect.in || r.Op === redirect.readWrite) {
        const readsDashAt = words.some((w) => /@-$/.test(known(w) ?? ''));
        const prog = path.posix.basename(known(words[0] ?? []) ?? '');
        if ((prog === 'curl' || prog === 'ibmcloud') && readsDashAt) {
          if (prog === 'ibmcloud' || callsIam(words)) this.sent(sourceOf(src, stmt), target);
          continue;
        }
        stdinFromToken = true;
        if (!cmd) this.leak('reads the token file into a command line ($(< file))', sourceOf(src, stmt));
        else this.leak(`redirects the token file into ${prog || 'a command'}, which is not curl or ibmcloud reading @-`, sourceOf(src, stmt));
      } else if (r.Op === redirect.hereString) {
        this.leak('passes the token file\'s path as a here-string', sourceOf(src, stmt));
      }
      // Output redirections write and read nothing; the projected volume is read-only anyway.
    }
    this.compound(cmd, src, words, { piped: ctx.piped, stdinFromToken }, stmt);
  }

  private compound(cmd: Node, src: string, words: Word[], ctx: { piped: boolean; stdinFromToken: boolean }, stmt: Node): void {
    const type = nodeType(cmd);
    const each = (list: unknown) => items(list).forEach((s) => this.statement(s, src, { piped: false }));
    switch (type) {
      case '': return;
      case 'CallExpr':
        for (const a of items(cmd.Assigns)) this.assign(a, src);
        this.command(words, sourceOf(src, stmt), ctx);
        return;
      case 'BinaryCmd': {
        const { binary } = operators();
        const pipe = cmd.Op === binary.pipe || cmd.Op === binary.pipeAll;
        this.statement(cmd.X, src, { piped: pipe, stdinFromToken: ctx.stdinFromToken });
        this.statement(cmd.Y, src, { piped: ctx.piped, stdinFromToken: pipe ? false : ctx.stdinFromToken });
        return;
      }
      case 'Block': case 'Subshell': return each(cmd.Stmts);
      case 'IfClause':
        for (let c = cmd; c; c = c.Else) { each(c.Cond); each(c.Then); }
        return;
      case 'WhileClause': each(cmd.Cond); each(cmd.Do); return;
      case 'ForClause': {
        const loop = cmd.Loop;
        if (nodeType(loop) === 'WordIter') {
          const values = items(loop.Items).flatMap((w) => this.fields(w, src));
          // `for a in "$@"` with no parameters runs its body no time at all.
          if (values.length === 0 && items(loop.Items).length > 0) return;
          const risky = values.find((v) => this.refers(v) !== 'no');
          this.vars.set(loop.Name.Value, risky ?? (values.length === 1 ? values[0] : [unknown(false, loop.Name.Value)]));
        }
        each(cmd.Do);
        return;
      }
      case 'CaseClause':
        this.word(cmd.Word, src);
        for (const item of items(cmd.Items)) each(item.Stmts);
        return;
      case 'FuncDecl':
        this.funcs.set(cmd.Name.Value, { body: cmd.Body, src });
        return;
      case 'DeclClause':
        for (const a of items(cmd.Args)) {
          if (a.Naked && !a.Name && a.Value) this.word(a.Value, src);
          else this.assign(a, src);
        }
        return;
      case 'TestClause': this.testExpr(cmd.X, src); return;
      case 'TimeClause': case 'CoprocClause': this.statement(cmd.Stmt, src, ctx); return;
      default:
        // Arithmetic and the rest hold no commands but may hold substitutions: evaluate every word.
        this.walkWords(cmd, src);
    }
  }

  private testExpr(expr: Node, src: string): void {
    if (!expr) return;
    switch (nodeType(expr)) {
      case 'UnaryTest': this.word(expr.X, src); return;
      case 'BinaryTest': this.testExpr(expr.X, src); this.testExpr(expr.Y, src); return;
      case 'ParenTest': this.testExpr(expr.X, src); return;
      case 'Word': this.word(expr, src); return;
      default: this.walkWords(expr, src);
    }
  }

  private walkWords(node: Node, src: string): void {
    for (const n of items(node?.substitutions)) this.substitution(n, src);
  }

  private assign(a: Node, src: string): void {
    const name = a.Name?.Value;
    if (!name) return;
    // `export F`, `readonly F`, `declare F`: the variable keeps its value (bash's `local F` would
    // empty it; keeping the value can only report more).
    if (a.Naked && !a.Value && !a.Array) return;
    // An array's elements are not followed one by one: it is unknown, and tainted when any
    // element names the token file, so "${a[@]}" run as a command is still judged.
    const elements = a.Array ? items(a.Array.Elems).map((e) => (e?.Value ? this.word(e.Value, src) : [])) : [];
    const value = a.Value ? this.word(a.Value, src) : a.Array ? [unknown(elements.some((w) => this.refers(w) !== 'no'), name)] : [text('')];
    this.vars.set(name, a.Append ? [...(this.vars.get(name) ?? []), ...value] : value);
  }

  // ---- words --------------------------------------------------------------------------------

  /**
   * The fields a word of a command line becomes. `"$@"`, `$@` and `$*` standing alone become
   * one field per positional parameter, as the shell makes them: joined into one, a wrapper's
   * `"$@"` would hide the program it runs (`run() { "$@"; }; run cat <token>`). Any other word
   * is one field; a program name that unquoted expansion left with blanks in it is split by
   * `command`.
   */
  private fields(word: Node, src: string): Word[] {
    const parts = items(word?.Parts);
    const only = parts.length === 1 ? parts[0] : undefined;
    const inner = nodeType(only) === 'DblQuoted' && items(only.Parts).length === 1 ? items(only.Parts)[0] : only;
    const name = nodeType(inner) === 'ParamExp' ? inner.Param?.Value : undefined;
    const plainParam = name !== undefined && !inner.Length && !inner.Excl && !inner.Index && !inner.Slice && !inner.Repl && !inner.Exp;
    if (plainParam && (name === '@' || (name === '*' && inner === only))) return this.positional.map((w) => [...w]);
    return [this.word(word, src)];
  }

  word(word: Node, src: string): Word {
    const out: Segment[] = [];
    for (const part of items(word?.Parts)) out.push(...this.part(part, src, false));
    return merge(out);
  }

  private part(part: Node, src: string, quoted: boolean): Word {
    switch (nodeType(part)) {
      // The shell removes the backslashes of escapes (`tok\ens` is `tokens`); in double quotes
      // only before $, `, ", \ and a newline.
      case 'Lit': return [text(unescape(part.Value, quoted), !quoted && PATTERN_CHARS.test(part.Value))];
      case 'SglQuoted': return [text(part.Value)];
      case 'DblQuoted': return items(part.Parts).flatMap((p) => this.part(p, src, true));
      case 'ParamExp': return this.param(part, src);
      case 'CmdSubst': case 'ProcSubst': return [unknown(this.substitution(part, src))];
      default:
        // Arithmetic (`$(( $(cat <file> | wc -c) ))`) and the rest: their substitutions still run.
        this.walkWords(part, src);
        return [unknown(false)];
    }
  }

  /** Analyses a `$(...)`; its output is tainted when it transforms a token path (dirname, echo...). */
  private substitution(node: Node, src: string): boolean {
    const saved = { vars: new Map(this.vars), cwd: this.cwd, oldCwd: this.oldCwd };
    const stmts = items(node.Stmts);
    this.substitutions += 1;
    for (const s of stmts) this.statement(s, src, { piped: false });
    this.substitutions -= 1;
    let tainted = false;
    if (stmts.length === 1 && nodeType(stmts[0].Cmd) === 'CallExpr') {
      const words = items(stmts[0].Cmd.Args).map((a) => this.word(a, src));
      const prog = path.posix.basename(known(words[0] ?? []) ?? '');
      tainted = PATH_TRANSFORMERS.has(prog) && words.slice(1).some((w) => this.refers(w) !== 'no');
      if (prog === 'pwd') tainted = this.refers([text(this.cwd ?? '.')]) !== 'no';
    }
    this.vars = saved.vars;
    this.cwd = saved.cwd;
    this.oldCwd = saved.oldCwd;
    return tainted;
  }

  private param(p: Node, src: string): Word {
    const name: string = p.Param?.Value ?? '';
    if (p.Length || p.Excl || p.Index || p.Slice || p.Repl) {
      const base = this.value(name);
      return [unknown(!p.Length && base !== undefined && this.refers(base) !== 'no', name)];
    }
    const value = this.value(name);
    const exp = p.Exp;
    if (!exp) return value ?? [];
    const ops = operators().param;
    const arg = exp.Word ? this.word(exp.Word, src) : [];
    const set = value !== undefined;
    const nonEmpty = set && !(value!.length === 0 || known(value!) === '');
    switch (exp.Op) {
      case ops.defaultUnsetOrNull: return nonEmpty ? value! : arg;
      case ops.defaultUnset: return set ? value! : arg;
      case ops.assignUnsetOrNull: case ops.assignUnset:
        if (exp.Op === ops.assignUnsetOrNull ? nonEmpty : set) return value!;
        this.vars.set(name, arg);
        return arg;
      case ops.errorUnsetOrNull: case ops.errorUnset: return value ?? [];
      case ops.alternateUnsetOrNull: return nonEmpty ? arg : [];
      case ops.alternateUnset: return set ? arg : [];
      default: {
        // Prefix and suffix removal: exact on known text and a literal pattern, else unknown.
        const v = value && known(value);
        const pattern = known(arg);
        if (v !== undefined && pattern !== undefined && !/[*?[]/.test(pattern)) {
          if (exp.Op === ops.removeSmallPrefix || exp.Op === ops.removeLargePrefix) return [text(v.startsWith(pattern) ? v.slice(pattern.length) : v)];
          if (exp.Op === ops.removeSmallSuffix || exp.Op === ops.removeLargeSuffix) return [text(pattern && v.endsWith(pattern) ? v.slice(0, -pattern.length) : v)];
        }
        return [unknown(value !== undefined && this.refers(value) !== 'no', name)];
      }
    }
  }

  /** A variable's value; undefined when unset. Positional parameters come from the call. */
  private value(name: string): Word | undefined {
    if (/^\d+$/.test(name)) {
      const i = Number(name);
      return i === 0 ? this.arg0 : this.positional[i - 1];
    }
    if (name === '@' || name === '*') {
      const out: Segment[] = [];
      this.positional.forEach((w, i) => out.push(...(i > 0 ? [text(' ')] : []), ...w));
      return out;
    }
    if (['$', '?', '#', '!', '-'].includes(name)) return [unknown(false)];
    return this.vars.get(name);
  }
}

/** A literal's text once the shell has removed the backslashes of its escapes. */
function unescape(value: string, quoted: boolean): string {
  if (!value.includes('\\')) return value;
  return quoted ? value.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c)) : value.replace(/\\([\s\S])/g, (_, c: string) => (c === '\n' ? '' : c));
}

const BLANKS = /[ \t\n]+/;
const separatorCache = new Map<string, RegExp>();

/** Blanks and the characters of IFS, as one pattern (made once per IFS text). */
function separatorsOf(ifs: string): RegExp {
  if (ifs === '') return BLANKS;
  let re = separatorCache.get(ifs);
  if (re === undefined) {
    re = new RegExp(`[ \\t\\n${ifs.replace(/[\\\]^-]/g, '\\$&')}]+`);
    if (separatorCache.size >= 64) separatorCache.clear();
    separatorCache.set(ifs, re);
  }
  return re;
}

function merge(segments: Segment[]): Word {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (s.kind === 'text' && last?.kind === 'text' && last.glob === s.glob) out[out.length - 1] = text(last.text + s.text, s.glob);
    else out.push(s);
  }
  return out;
}

/** Why a word may name the token file. */
function whyMaybe(word: Word): string {
  return word.some((s) => s.kind === 'unknown') ? `the analysis cannot tell what ${unknownNames(word)} holds`
    : 'a relative path, and the manifest does not say where the container starts: set workingDir';
}

function unknownNames(word: Word): string {
  const names = word.filter((s) => s.kind === 'unknown').map((s) => (s as { name?: string }).name).filter((n) => n);
  return names.length > 0 ? names.map((n) => `$${n}`).join(', ') : 'a command\'s output';
}

function short(excerpt: string): string {
  const one = excerpt.replace(/\s+/g, ' ').trim()
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_.-]*/g, '<token>')
    .replace(/(cr_token=|--cr-token[ =]["']?)(?![$`<@])[^\s"']+/g, '$1<token>');
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}

/** What one container's command does with the token files. */
export interface CommandAnalysis {
  readonly leaks: readonly Leak[];
  /** Excerpts of the commands that send a token file to IAM in a safe form. */
  readonly sends: readonly string[];
}

/** Analyses one container's argv (`command` then `args`, Kubernetes `$(VAR)` already expanded). */
export function analyzeCommand(argv: readonly Word[], input: AnalysisInput): CommandAnalysis {
  const a = new Analysis(input);
  a.command([...argv], argv.map((w) => known(w) ?? '…').join(' '), { piped: false, stdinFromToken: false });
  return { leaks: a.leaks, sends: a.sends.map(short) };
}

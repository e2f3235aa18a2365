// What particular programs do with their arguments: which forms make curl or ibmcloud open the
// token file themselves (safe), which carry the token itself, and which options of wrappers to
// skip to find the command they run.
import { isTainted, joinedText, known, Reference, text, unknown, Word } from './words';

/** What the program handlers need of the analysis. */
export interface Judge {
  refers(word: Word): Reference;
  leak(what: string, excerpt: string): void;
  /** A command that sends `file` (`@<file>`, `<name>@<file>`, `<file>`) to IAM in a safe form. */
  sent(excerpt: string, file: Word): void;
  setVariable(name: string, value: Word): void;
}

/** The form field or flag that carries the token itself, whatever the program. */
export function literalTokenForms(j: Judge, argv: Word[], src: string): void {
  argv.forEach((a, i) => {
    const joined = joinedText(a);
    if (/eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\./.test(joined)) j.leak('holds a literal token on its command line', src);
    if (/(?:^|[&?])cr_token=(?!@)/.test(joined)) j.leak('passes the token as the form field cr_token on a command line', src);
    const flag = /^--cr-token(?:=(.*))?$/s.exec(joined);
    if (flag) {
      const value = flag[1] ?? (argv[i + 1] ? joinedText(argv[i + 1]) : '@');
      if (!value.startsWith('@')) j.leak('passes the token itself to --cr-token instead of @<file>', src);
    }
  });
}

/** The command a wrapper (env, exec, timeout, sudo, ...) runs, its own options skipped; `env` assignments are recorded. */
export function unwrap(j: Judge, prog: string, args: Word[]): Word[] {
  let i = 0;
  const k = (n: number) => known(args[n] ?? []) ?? '';
  if (prog === 'env') {
    while (i < args.length) {
      const w = k(i);
      // -S STRING: env splits the string into the command and its first arguments.
      if (w === '-S' || w === '--split-string') return args.slice(i + 1);
      const glued = /^(?:-S|--split-string=)(.+)$/s.exec(w);
      if (glued) return [[text(glued[1])], ...args.slice(i + 1)];
      if (w === '-u' || w === '-C') i += 2;
      else if (w.startsWith('-') || /^[A-Za-z_]\w*=/.test(w)) {
        const m = /^([A-Za-z_]\w*)=/.exec(w);
        if (m) j.setVariable(m[1], args[i].length === 1 ? [text(w.slice(m[0].length))] : [unknown(isTainted(args[i]))]);
        i += 1;
      } else break;
    }
  } else if (['timeout', 'nice', 'stdbuf', 'gosu', 'su-exec', 'chroot', 'sudo', 'doas'].includes(prog)) {
    while (i < args.length && k(i).startsWith('-')) i += k(i) === '-n' || k(i) === '-u' || k(i) === '-s' || k(i) === '-k' ? 2 : 1;
    if (['timeout', 'gosu', 'su-exec', 'chroot'].includes(prog)) i += 1; // duration, user or root
  } else {
    while (i < args.length && k(i).startsWith('-')) i += 1;
  }
  return args.slice(i);
}

/** curl passes when it opens the token file itself; any other mention of the file is a leak. */
export function judgeCurl(j: Judge, args: Word[], src: string): void {
  // The forms in which curl itself opens the file (`@<file>`, `<name>@<file>`, `-F name=<<file`).
  const FILE_VALUE = ['-d', '--data', '--data-binary', '--data-ascii', '--data-urlencode', '-F', '--form', '--json'];
  for (let i = 0; i < args.length; i++) {
    const w = known(args[i]) ?? '';
    const glued = /^(-d|-F)(.+)$/.exec(w);
    if (FILE_VALUE.includes(w) || glued) {
      const value = glued ? [text(glued[2])] : args[i + 1] ?? [];
      if (!glued) i += 1;
      if (j.refers(value) === 'no') continue;
      if (readsFileItself(value, w === '--data-urlencode', glued?.[1] ?? w)) {
        if (callsIam(args)) j.sent(src, value);
        // --trace writes the request, form data included, where anyone reading the output sees
        // it; --libcurl writes a C program that sends the same data, the token in its source.
        const dumps = args.map((a) => /^(--trace(?:-ascii)?|--libcurl)(?:=|$)/.exec(known(a) ?? '')?.[1]).find((f) => f !== undefined);
        if (dumps !== undefined) {
          j.leak(`sends the token file with curl ${dumps}, which writes the request, token included, to ${dumps === '--libcurl' ? 'a file' : 'its output'}`, src);
          return;
        }
        continue;
      }
      j.leak('gives the token file to curl in a form that is not curl reading it (cr_token@<file> or @<file>)', src);
      return;
    }
    const r = j.refers(args[i]);
    if (r !== 'no') return j.leak(`${r === 'maybe' ? 'may give' : 'gives'} the token file to curl outside -d @<file> / --data-urlencode cr_token@<file>`, src);
  }
}

export function judgeIbmcloud(j: Judge, args: Word[], src: string): void {
  for (let i = 0; i < args.length; i++) {
    const w = known(args[i]) ?? '';
    if (w === '--cr-token' || w.startsWith('--cr-token=@')) {
      const value = w === '--cr-token' ? args[i + 1] ?? [] : [text(w.slice('--cr-token='.length))];
      if (w === '--cr-token') i += 1;
      if (j.refers(value) !== 'no') j.sent(src, value);
      continue;
    }
    const r = j.refers(args[i]);
    if (r !== 'no') return j.leak('gives the token file to ibmcloud other than as --cr-token @<file>', src);
  }
}

/** Whether a curl command line is a token exchange with IAM. */
export function callsIam(args: Word[]): boolean {
  return args.some((a) => /identity\/token|cr-token|cr_token/.test(a.map((s) => (s.kind === 'text' ? s.text : '')).join('')));
}

/** Whether curl opens the token file itself: `@<file>`, or `<name>@<file>` for --data-urlencode, `name=@file`/`name=<file` for -F. */
function readsFileItself(value: Word, urlencode: boolean, flag: string): boolean {
  const head = value[0];
  if (!head || head.kind !== 'text') return false;
  if (head.text.startsWith('@')) return true;
  if (urlencode && /^[A-Za-z_][\w.-]*@/.test(head.text)) return true;
  return (flag === '-F' || flag === '--form') && /^[A-Za-z_][\w.-]*=[@<]/.test(head.text);
}

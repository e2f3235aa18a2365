import { Container, Facts, Workload } from './facts';
import { ibmConfigOf, normalize, SDK_DEFAULT_TOKEN_FILES, tokenFilesOf } from './pod-token';
import { Observation, Rule } from './types';

export const IWI_K4: Rule = {
  id: 'IWI-K4',
  severity: 'error',
  title: 'Token on a command line',
  explanation: 'Arguments of a running process are visible to anything that can list processes on the '
    + 'node (ps, /proc, crash dumps, audit logs). IBM\'s sample Job passes the token file\'s content to curl -d '
    + 'through command substitution, which puts the projected token there for as long as curl runs.',
  fix: 'Let the program read the token from its file: curl --data-urlencode "cr_token@<file>", '
    + 'ibmcloud login --cr-token @<file>, or an IBM SDK with <SERVICE>_CR_TOKEN_FILENAME.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      for (const c of w.containers) {
        const hit = findTokenOnCommandLine(w, c);
        if (hit) {
          out.push({
            object: w.object, file: w.file, acknowledgements: w.acknowledgements,
            message: `${c.init ? 'init container' : 'container'} "${c.name}" ${hit.what} (${JSON.stringify(snippet(hit.text))}); read the token from its file instead, e.g. curl --data-urlencode "cr_token@<file>"`,
          });
        }
      }
    }
    return out;
  },
};

interface Hit {
  readonly what: string;
  readonly text: string;
}

function findTokenOnCommandLine(w: Workload, c: Container): Hit | undefined {
  const script = c.argv.join('\n');
  let refs: TokenRefs | undefined;
  for (const m of script.matchAll(/\$\(\s*(?:(?:cat|head|tail|tr|base64)\b([^)]*)|<([^)]*))\)|`\s*(?:cat|head|tail)\b([^`]*)`/g)) {
    refs ??= tokenRefs(w, c, script);
    if (refersToToken(m[1] ?? m[2] ?? m[3] ?? '', refs)) {
      return { what: 'reads the token file into a command line', text: m[0] };
    }
  }
  const form = /(?:^|\s)(?:-d|--data(?:-raw|-binary|-ascii|-urlencode)?)(?:\s+|=)?["']?cr_token=[^\s"']*|cr_token=(?:\$|`|eyJ)[^\s"']*/.exec(script);
  if (form) return { what: 'passes the token as the form field cr_token on a command line', text: form[0].trim() };
  const login = /--cr-token(?:\s+|=)["']?(?!@)[^\s"']+/.exec(script);
  if (login) return { what: 'passes the token itself to --cr-token instead of @<file>', text: login[0] };
  const jwt = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/.exec(script);
  if (jwt) return { what: 'holds a literal token on its command line', text: jwt[0] };
  return undefined;
}

interface TokenRefs {
  readonly files: Set<string>;
  readonly vars: Set<string>;
}

/** The token files of the container and the variables (environment or shell) naming them. */
function tokenRefs(w: Workload, c: Container, script: string): TokenRefs {
  const files = tokenFiles(w, c);
  const refs = { files, vars: tokenFileVariables(c, files) };
  // Shell variables assigned from a token variable or path hold the path too.
  for (const m of script.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)=(["']?)([^\s"';]+)\2/g)) {
    if (refersToToken(m[3], refs)) refs.vars.add(m[1]);
  }
  return refs;
}

/** Every file that holds a service-account token in this container, or that IBM config names. */
function tokenFiles(w: Workload, c: Container): Set<string> {
  const config = ibmConfigOf(c);
  return new Set([...tokenFilesOf(w, c).keys(), ...config.reads.map((r) => r.file), ...SDK_DEFAULT_TOKEN_FILES]);
}

/** Environment variables whose value is a token file (the CLI's takes a leading "@"). */
function tokenFileVariables(c: Container, files: Set<string>): Set<string> {
  const vars = new Set<string>();
  for (const [name, value] of c.env) {
    if (name === 'IBMCLOUD_CR_TOKEN' || name.endsWith('_CR_TOKEN_FILENAME')) vars.add(name);
    else if (value && files.has(normalize(value.replace(/^@/, '')))) vars.add(name);
  }
  return vars;
}

function refersToToken(text: string, refs: TokenRefs): boolean {
  const unquoted = text.replace(/["']/g, ' ');
  for (const word of unquoted.split(/\s+/).filter((x) => x.startsWith('/'))) {
    if (refs.files.has(normalize(word.replace(/^@/, '')))) return true;
  }
  for (const m of unquoted.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (refs.vars.has(m[1])) return true;
  }
  return false;
}

/** The offending text, short and with any literal token blanked: findings end up in CI logs. */
function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ')
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_.-]*/g, '<token>')
    .replace(/(cr_token=|--cr-token[ =]["']?)(?![$`<])[^\s"']+/g, '$1<token>');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

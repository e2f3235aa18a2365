import * as path from 'path';
import { Container, Facts, Workload } from './facts';
import { ibmConfigOf, SDK_DEFAULT_TOKEN_FILES, tokenFilesOf } from './pod-token';
import { Leak } from './shell/analyze';
import { analyzeContainerCommand } from './shell/remembered';
import { expandEnvironment } from './shell/kubernetes';
import { Observation, Rule } from './types';

const SAFE_FORMS = 'curl --data-urlencode "cr_token@<file>" or -d @<file>, ibmcloud login --cr-token @<file>, '
  + 'an IBM SDK with <SERVICE>_CR_TOKEN_FILENAME, or "< <file>" into a program reading @-';

export const IWI_K4: Rule = {
  id: 'IWI-K4',
  severity: 'error',
  title: 'Token on a command line, or a use of the token the analysis cannot prove safe',
  explanation: 'Arguments of a running process are visible to anything that can list processes on the '
    + 'node (ps, /proc, crash dumps, audit logs). IBM\'s sample Job passes the token file\'s content to curl -d '
    + 'through command substitution, which puts the projected token there for as long as curl runs. The rule '
    + 'parses shell scripts (sh -c, eval, scripts in variables), follows variables, cd and Kubernetes $(VAR) '
    + 'expansion, and accepts only forms in which the program that sends the token reads its file itself; '
    + 'any other reference to the token file or its folder, and any script it cannot follow, is reported.',
  fix: `Let the program read the token from its file: ${SAFE_FORMS}. Presence tests ([ -r <file> ]) are fine. `
    + 'If a reported reference is harmless, acknowledge IWI-K4 on the workload with the reason.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      for (const c of w.containers) {
        const leaks = leaksOf(w, c);
        if (leaks.length === 0) continue;
        const more = leaks.length > 1 ? `; ${leaks.length - 1} more place${leaks.length > 2 ? 's' : ''} in this container` : '';
        out.push({
          object: w.object, file: w.file, acknowledgements: w.acknowledgements,
          message: `${c.init ? 'init container' : 'container'} "${c.name}" ${leaks[0].what} (${JSON.stringify(leaks[0].excerpt)})${more}; `
            + `keep the token off command lines: ${SAFE_FORMS}`,
        });
      }
    }
    return out;
  },
};

/** Every unsafe use of the token in one container's command, after Kubernetes' expansion. */
export function leaksOf(w: Workload, c: Container): Leak[] {
  if (c.argv.length === 0) return [];
  const mounted = tokenFilesOf(w, c);
  const config = ibmConfigOf(c);
  // A container that can read no token is still checked for the token's literal forms.
  const sees = mounted.size > 0 || config.used;
  const files = sees ? [...new Set([...mounted.keys(), ...config.reads.map((r) => r.file), ...SDK_DEFAULT_TOKEN_FILES])] : [];
  const dirs = [...new Set(files.map((f) => path.posix.dirname(f)))];
  return [...analyzeContainerCommand(c.argv, { tokens: { files, dirs }, env: expandEnvironment(c.env), workingDir: c.workingDir }).leaks];
}

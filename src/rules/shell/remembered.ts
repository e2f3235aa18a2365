// The analysis of a container's command is a pure function of its argv as written, the token
// paths, the environment and the working folder, and it is the costliest step of the rules.
// The same question comes often: `iks-workload-identity synth` asks it for each workload twice
// (the rules at cdk8s validation, then every rule over the whole output), and the workloads of
// a team that share a trusted profile run the same token-fetch script with the same variables.
// So the answer is remembered, keyed by every input: a question that differs in anything at
// all is answered by a new analysis.
import { analyzeCommand, AnalysisInput, CommandAnalysis } from './analyze';
import { expandKubernetes } from './kubernetes';

/** At most this many answers are kept, the oldest forgotten first. A few hundred bytes each. */
export const REMEMBERED_ANALYSES = 50_000;
/** Distinct argument texts given an id; past this, every answer is forgotten at once. */
export const REMEMBERED_TEXTS = 4096;

const textIds = new Map<string, number>();
const answers = new Map<string, CommandAnalysis>();

/**
 * The analysis of a container's `command` and `args` (`argv`, as written in the manifest): each
 * entry is expanded as the kubelet does (`$(VAR)` from `input.env`, which is the container's
 * environment already expanded), then analysed; answered from memory when asked before with
 * equal inputs.
 */
export function analyzeContainerCommand(argv: readonly string[], input: AnalysisInput): CommandAnalysis {
  // Scripts are long and shared by many workloads: each text gets a short id, so a key is short
  // and a text is hashed, not copied, on lookup. An id is given to one text only, and ids and
  // answers are forgotten together, before any id of this argv is given: forgetting halfway
  // would leave the key with ids of two generations, which another argv could later match.
  if (textIds.size + argv.length > REMEMBERED_TEXTS) forgetAnalyses();
  const ids: number[] = [];
  for (const arg of argv) {
    let id = textIds.get(arg);
    if (id === undefined) {
      id = textIds.size;
      textIds.set(arg, id);
    }
    ids.push(id);
  }
  const key = `${ids.join(',')}\u0000${JSON.stringify([input.tokens.files, input.tokens.dirs, [...input.env], input.workingDir ?? null])}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const fresh = analyzeCommand(argv.map((a) => expandKubernetes(a, input.env)), input);
  // Callers share the answer: frozen, so none can change what the next one is told.
  const answer: CommandAnalysis = Object.freeze({
    leaks: Object.freeze(fresh.leaks.map((l) => Object.freeze({ ...l }))),
    sends: Object.freeze([...fresh.sends]),
  });
  if (answers.size >= REMEMBERED_ANALYSES) answers.delete(answers.keys().next().value!);
  answers.set(key, answer);
  return answer;
}

/** Forgets every remembered answer (for tests, or a long-lived process that wants the memory back). */
export function forgetAnalyses(): void {
  textIds.clear();
  answers.clear();
}

/** How many answers are remembered now. */
export function rememberedAnalysisCount(): number {
  return answers.size;
}

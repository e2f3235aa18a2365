/**
 * One broken rule in a declaration: which field, what it holds, the rule and the fix.
 */
export interface ValidationProblem {
  /** The identity's name, as given to `WorkloadIdentity`. */
  readonly identity: string;
  /** Dotted path of the field, e.g. `token.expirationSeconds` or `policies[1].roles`. */
  readonly field: string;
  /** The offending value, as given. */
  readonly value: unknown;
  /** The rule the value breaks and, after a semicolon, how to fix it. */
  readonly message: string;
}

/** Renders a value the way a user typed it: strings quoted, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json.length > 120 ? `${json.slice(0, 117)}...` : json;
  } catch {
    return String(value);
  }
}

export function formatProblem(p: ValidationProblem): string {
  return `WorkloadIdentity "${p.identity}": ${p.field} is ${formatValue(p.value)}; ${p.message}`;
}

/**
 * Thrown when a declaration breaks one or more rules. It lists every problem at once, so a
 * platform engineer fixes a declaration in one pass rather than one error per run.
 */
export class WorkloadIdentityError extends Error {
  public readonly problems: readonly ValidationProblem[];

  constructor(problems: readonly ValidationProblem[]) {
    const lines = problems.map(formatProblem);
    super(lines.length === 1 ? lines[0] : `${lines.length} problems:\n  ${lines.join('\n  ')}`);
    this.name = 'WorkloadIdentityError';
    this.problems = problems;
  }
}

/** Collects problems while a declaration is checked; throws them together at the end. */
export class ProblemCollector {
  private readonly problems: ValidationProblem[] = [];

  constructor(private readonly identity: string) {}

  public add(field: string, value: unknown, message: string): void {
    this.problems.push({ identity: this.identity, field, value, message });
  }

  public get count(): number {
    return this.problems.length;
  }

  public throwIfAny(): void {
    if (this.problems.length > 0) throw new WorkloadIdentityError(this.problems);
  }
}

/**
 * A deep copy of plain declaration data, frozen, so nothing the caller keeps can change it.
 * @internal
 */
export function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy)) as unknown as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = frozenCopy(v);
  return Object.freeze(out) as T;
}

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

/** At most this many characters of a string value are quoted in a message: a CRN fits whole. */
export const EXCERPT_LENGTH = 128;
const MAX_RENDERED_LENGTH = 120;

/**
 * Renders a value the way a user typed it: strings quoted, everything else as JSON. The
 * rendering is bounded: a long string shows its first characters and its length, and a large
 * or deep object is cut, so a 100,000-character value never makes a 100,000-character message.
 * Control characters are escaped, so a message never moves a terminal's cursor.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return excerpt(value);
  const out = render(value, 0);
  return out.length > MAX_RENDERED_LENGTH ? `${out.slice(0, MAX_RENDERED_LENGTH - 3)}...` : out;
}

/** A string as a short quoted excerpt: `"abc..." (100000 characters)` when it is long. */
export function excerpt(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return quote(text);
  return `${quote(text.slice(0, EXCERPT_LENGTH)).slice(0, -1)}..." (${text.length} characters)`;
}

// JSON.stringify escapes C0 controls but leaves DEL, the C1 controls (U+0080-U+009F, which
// some terminals read as escape sequences) and the Unicode line separators as they are.
const quote = (text: string) => JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Depth-limited and item-limited, so neither deep nesting nor huge lists cost more than a line. */
function render(value: unknown, depth: number): string {
  if (typeof value === 'string') return excerpt(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value === 'bigint' ? `${value}` : String(value);
  }
  if (depth >= 3) return Array.isArray(value) ? '[...]' : '{...}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 5).map((v) => (v === undefined ? 'null' : render(v, depth + 1)));
    return `[${items.join(',')}${value.length > 5 ? `,... (${value.length} items)` : ''}]`;
  }
  let entries: [string, unknown][];
  try {
    entries = Object.entries(value as Record<string, unknown>);
  } catch {
    return String(value);
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' || (entries.length === 0 && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return json.length > MAX_RENDERED_LENGTH ? `${json.slice(0, MAX_RENDERED_LENGTH - 3)}...` : json;
    } catch {
      // fall through to the generic rendering
    }
  }
  const shown = entries.filter(([, v]) => v !== undefined).slice(0, 6).map(([k, v]) => `${excerpt(k)}:${render(v, depth + 1)}`);
  return `{${shown.join(',')}${entries.length > 6 ? ',...' : ''}}`;
}

export function formatProblem(p: ValidationProblem): string {
  return `WorkloadIdentity ${excerpt(p.identity)}: ${p.field} is ${formatValue(p.value)}; ${p.message}`;
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

// The types of a declarations file, checked at every depth before the model sees the data:
// a data file is held to what TypeScript holds code to. A value of the wrong type is reported
// (field, value, expected type, fix) and left out of what the model gets, so the model reports
// only what is left and never meets a number where it expects an object.
import { excerpt, formatValue } from '../model/errors';
import { TextLanding, textProblem } from '../model/text-policy';

/** What a value in a declarations file may be. */
export type Shape =
  | { readonly type: 'string'; readonly landing: TextLanding }
  | { readonly type: 'integer'; readonly min?: number; readonly max?: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | ObjectShape
  | { readonly type: 'list'; readonly item: Shape }
  | { readonly type: 'map'; readonly value: Shape }
  /**
   * An object whose `tag` key, when present, picks its shape from `variants` (a policy with
   * `preset: secretsManagerRead` is that preset's options); without the key it is `otherwise`.
   */
  | { readonly type: 'tagged'; readonly tag: string; readonly variants: { readonly [name: string]: ObjectShape }; readonly otherwise: ObjectShape };

/** An object of known keys. */
export interface ObjectShape {
  readonly type: 'object';
  readonly keys: { readonly [key: string]: Shape };
  /** Keys that must be present. */
  readonly required?: readonly string[];
  /** Exactly one of the keys must be present (e.g. one kind of time condition). */
  readonly exactlyOne?: boolean;
  /**
   * Keys the model requires and reports in its own words: left to it here, required in the
   * JSON Schema.
   */
  readonly modelRequires?: readonly string[];
}

/** The keys `T` requires. */
export type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

/** `keys`, checked at compile time to be every key `T` requires: for `modelRequires`. */
export function requiredOf<T>() {
  return <const A extends readonly RequiredKeys<T>[]>(keys: A & ([RequiredKeys<T>] extends [A[number]] ? unknown : never)): A => keys;
}

/** A string, checked by the text policy for where it lands. */
export const text = (landing: TextLanding): Shape => ({ type: 'string', landing });
export const integer: Shape = { type: 'integer' };
/** A whole number from `min` to `max`. */
export const range = (min: number, max: number): Shape => ({ type: 'integer', min, max });
export const boolean: Shape = { type: 'boolean' };
export const oneOf = (...values: string[]): Shape => ({ type: 'enum', values });
export const object = <K extends { readonly [key: string]: Shape }>(keys: K, options: { required?: readonly (keyof K & string)[]; exactlyOne?: boolean; modelRequires?: readonly (keyof K & string)[] } = {}): ObjectShape & { readonly keys: K } =>
  ({ type: 'object', keys, ...options });
export const tagged = (tag: string, variants: { readonly [name: string]: ObjectShape }, otherwise: ObjectShape): Shape => ({ type: 'tagged', tag, variants, otherwise });
export const list = (item: Shape): Shape => ({ type: 'list', item });
export const map = (value: Shape): Shape => ({ type: 'map', value });

export type Report = (field: string, value: unknown, message: string) => void;

/**
 * `value` as `shape` allows it: parts of the wrong type become undefined (list items keep their
 * position, so indices in later messages still match the file), unknown keys are dropped.
 * Every problem is reported with its full path.
 */
export function conform(shape: Shape, value: unknown, field: string, report: Report): unknown {
  if (value === undefined) return undefined;
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return wrongType(shape, value, field, report);
      const why = textProblem(value, shape.landing);
      if (why) report(field, value, why);
      return value;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(shape, value, field, report);
      if ((shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) {
        report(field, value, `${field.replace(/^.*\./, '')} is a whole number from ${shape.min ?? '-'} to ${shape.max ?? '-'}`);
        return undefined;
      }
      return value;
    case 'boolean':
      return typeof value === 'boolean' ? value : wrongType(shape, value, field, report);
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value) ? value : wrongType(shape, value, field, report);
    case 'list':
      if (!Array.isArray(value)) return wrongType(shape, value, field, report);
      return value.map((item, i) => conform(shape.item, item, `${field}[${i}]`, report));
    case 'map': {
      if (!isObject(value)) return wrongType(shape, value, field, report);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const conformed = conform(shape.value, v, fieldOf(field, key), report);
        if (conformed !== undefined) Object.defineProperty(out, key, { value: conformed, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'object': {
      if (!isObject(value)) return wrongType(shape, value, field, report);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        if (!Object.hasOwn(shape.keys, key)) {
          report(fieldOf(field, key), v, `unknown key${suggestion(key, Object.keys(shape.keys))}`);
          continue;
        }
        const conformed = conform(shape.keys[key], v, fieldOf(field, key), report);
        if (conformed !== undefined) out[key] = conformed;
      }
      for (const key of shape.required ?? []) {
        if (value[key] === undefined) report(fieldOf(field, key), undefined, `required: ${describe(shape.keys[key])}`);
      }
      const present = Object.keys(shape.keys).filter((k) => value[k] !== undefined);
      if (shape.exactlyOne && present.length !== 1) {
        report(field, value, `give exactly one of ${Object.keys(shape.keys).join(', ')}${present.length > 1 ? `, not ${present.join(' and ')}` : ''}`);
        return undefined;
      }
      return out;
    }
    case 'tagged': {
      if (!isObject(value) || !Object.hasOwn(value, shape.tag)) return conform(shape.otherwise, value, field, report);
      const name = value[shape.tag];
      const variant = typeof name === 'string' && Object.hasOwn(shape.variants, name) ? shape.variants[name] : undefined;
      if (!variant) {
        const names = Object.keys(shape.variants);
        report(fieldOf(field, shape.tag), name, `not a known ${shape.tag}${typeof name === 'string' ? suggestion(name, names, `${shape.tag}s`) : `; the known ${shape.tag}s are ${names.join(', ')}`}`);
        return undefined;
      }
      return conform(variant, value, field, report);
    }
  }
}

function wrongType(shape: Shape, value: unknown, field: string, report: Report): undefined {
  // The fix names the key as the file spells it; a list item has none, so it is "each item".
  const key = field.endsWith(']') ? 'each item' : field.replace(/^.*\./, '');
  report(field, value, `expected ${describe(shape)}, found ${kindOf(value)}; ${fix(shape, value, key)}`);
  return undefined;
}

/** The expected type in words, e.g. `an object { expirationSeconds, mountPath, fileName }`. */
export function describe(shape: Shape): string {
  switch (shape.type) {
    case 'string': return 'a string';
    case 'integer': return 'a whole number';
    case 'boolean': return 'true or false';
    case 'enum': return `one of ${shape.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'list': return `a list of ${plural(shape.item)}`;
    case 'map': return `an object of names to ${plural(shape.value)}`;
    case 'object': return `an object { ${Object.keys(shape.keys).join(', ')} }`;
    case 'tagged': return `${describe(shape.otherwise)}, or an object { ${shape.tag}, ... } with ${shape.tag} one of ${Object.keys(shape.variants).join(', ')}`;
  }
}

function plural(shape: Shape): string {
  switch (shape.type) {
    case 'string': return 'strings';
    case 'integer': return 'whole numbers';
    case 'boolean': return 'booleans';
    case 'enum': return `values ${shape.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'list': return 'lists';
    case 'map': return 'maps';
    case 'object': return `objects { ${Object.keys(shape.keys).join(', ')} }`;
    case 'tagged': return `objects { ${Object.keys(shape.otherwise.keys).join(', ')} } or { ${shape.tag}, ... }`;
  }
}

function fix(shape: Shape, value: unknown, key: string): string {
  if (value === null) return `give ${key} a value, or remove the key (an empty YAML value is null)`;
  switch (shape.type) {
    case 'string': return `write the text in quotes, e.g. ${key}: "${typeof value === 'number' || typeof value === 'boolean' ? String(value) : '...'}"`;
    case 'integer': return `write ${key} as a whole number without quotes`;
    case 'boolean': return `write ${key} as true or false, without quotes`;
    case 'enum': return `set ${key} to one of ${shape.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'list': return isObject(value) ? `wrap it in a list: "- " before the first key in YAML, or [ ... ] around it` : `write ${key} as a list: "- item" lines in YAML, or [ ... ]`;
    case 'map':
    case 'object':
    case 'tagged':
      if (Array.isArray(value)) return `write ${key} as a mapping of keys, not a "- " list`;
      return key === 'each item' ? 'write each item as a mapping of its keys, e.g. "- { key: value }"' : `write ${key} as a mapping of its keys, indented under "${key}:"`;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isFinite(value) ? (Number.isInteger(value) ? 'a whole number' : 'a fractional number') : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value;
}

/**
 * `parent.key`, or `parent["odd key"]` for a key that is not a plain word, bounded so a huge or
 * hostile key never makes a huge field path.
 */
export function fieldOf(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/.test(key)) return parent ? `${parent}.${key}` : key;
  const shown = key.length > 40 ? `${excerpt(key.slice(0, 40)).slice(0, -1)}..."` : formatValue(key);
  return `${parent}[${shown}]`;
}

export const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `; did you mean "namespace"?` for the closest known key within two edits, else `; the known keys are ...`. */
export function suggestion(key: string, known: readonly string[], what = 'keys'): string {
  let best: string | undefined;
  let bestDistance = 3;
  // A key far longer than any known one is nobody's typo; comparing it would only cost time.
  if (key.length <= 64) {
    for (const candidate of known) {
      const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
  }
  return best !== undefined ? `; did you mean "${best}"?` : `; the known ${what} are ${known.join(', ')}`;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The deepest nesting a declarations file may have; a real one needs 7 levels. */
export const MAX_DEPTH = 64;
/** The most values a declarations file may hold once YAML aliases are expanded. */
export const MAX_VALUES = 1_000_000;

/**
 * Where `data` nests deeper than `MAX_DEPTH` or holds more than `MAX_VALUES` values (counting a
 * value shared by YAML aliases once per use), or undefined. Walked with an explicit stack, so
 * any depth is measured without exhausting the call stack; a cycle counts as too deep.
 */
export function sizeProblem(data: unknown): { field: string; message: string } | undefined {
  const stack: Array<[unknown, number, string]> = [[data, 0, '']];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth, field] = stack.pop()!;
    if (++values > MAX_VALUES) {
      return { field: field || '(file)', message: `the data holds more than ${MAX_VALUES.toLocaleString('en-US')} values once YAML aliases are expanded; a declarations file needs far fewer: look for aliases that nest other aliases` };
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      return { field: field || '(file)', message: `the data nests deeper than ${MAX_DEPTH} levels (a declarations file needs about 7), or refers to itself through an alias; flatten it` };
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], depth + 1, depth < 8 ? `${field}[${i}]` : field]);
    } else {
      for (const [k, v] of Object.entries(value)) stack.push([v, depth + 1, depth < 8 ? fieldOf(field, k) : field]);
    }
  }
  return undefined;
}

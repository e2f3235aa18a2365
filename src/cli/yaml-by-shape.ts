// YAML text exactly as cdk8s writes it (its `Yaml.stringify`, one document at a time), made
// faster for documents that repeat a shape. `synth` writes three objects per identity, and the
// objects of one kind differ only in names, labels and a few values; the `yaml` package builds
// and checks a node for every value of every object (1 s of `synth`'s 3 at 1,000 identities).
//
// The idea: a document is its shape (the keys, the nesting, and the values that are not one line
// of text) plus its one-line values in order. The `yaml` package writes a one-line value the
// same way wherever it stands in block style, given only whether it is a map's value or a
// sequence's item (the indentation and the key around it do not change it). So the reference
// writes each distinct shape once, with a placeholder for each one-line value, and each
// distinct value once in each of the two places; a document is then the shape's text with its
// values' text put in. Nothing is guessed: every shape's first document is also written by the
// reference and compared, and a shape whose text differs, or whose placeholders cannot be
// found exactly, is always written by the reference.

/** Writes one document, as cdk8s's `Yaml.stringify(doc)` does. */
export type StringifyDocument = (doc: unknown) => string;

/** Stands for a one-line value in a shape's text: plain in YAML, and checked to occur nowhere else. */
const PLACEHOLDER = 'iwi0slot0b7e1c';

interface Shape {
  /** The shape's text split at its placeholders: one more part than values. */
  readonly parts: readonly string[];
}

/** Not writable by shape: the document is written by the reference. */
const UNSHAPED = Symbol('unshaped');

export class YamlByShape {
  /** The text of one-line values: strings as a map's value, strings as a sequence's item, and other values. */
  private readonly mapStrings = new Map<string, string | null>();
  private readonly sequenceStrings = new Map<string, string | null>();
  private readonly others = new Map<string, string | null>();
  private readonly constants = new Map<string, number>();
  private readonly shapes = new Map<string, Shape | null>();

  constructor(private readonly reference: StringifyDocument) {}

  /** The YAML of `doc`, byte for byte what `reference(doc)` returns. */
  public stringify(doc: unknown): string {
    if (!isPlainObject(doc)) return this.reference(doc);
    this.learnStrings(doc);
    const values: string[] = [];
    const key = this.shapeOf(doc, values, new Set());
    if (key === UNSHAPED) return this.reference(doc);
    let shape = this.shapes.get(key);
    if (shape === undefined) {
      shape = this.makeShape(doc, values.length);
      const text = shape && assemble(shape, values);
      if (shape && text !== this.reference(doc)) shape = null;
      this.shapes.set(key, shape);
      if (shape) return text!;
    }
    return shape ? assemble(shape, values) : this.reference(doc);
  }

  /**
   * The shape's key of `node`, pushing the text of its one-line values onto `values`; UNSHAPED
   * for anything the reference might write otherwise than as a plain tree (a value seen twice,
   * which YAML writes as an alias; undefined, functions, class instances, sparse arrays).
   */
  private shapeOf(node: unknown, values: string[], seen: Set<object>, inSequence = false): string | typeof UNSHAPED {
    if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      const text = this.valueText(node, inSequence);
      if (text !== null) {
        values.push(text);
        return 'v';
      }
      // A value of several lines is written in block style, indented where it stands: part of the shape.
      if (typeof node !== 'string') return UNSHAPED;
      let id = this.constants.get(node);
      if (id === undefined) {
        id = this.constants.size;
        this.constants.set(node, id);
      }
      return `c${id}`;
    }
    if (typeof node !== 'object' || seen.has(node)) return UNSHAPED;
    seen.add(node);
    if (Array.isArray(node)) {
      let key = '[';
      for (let i = 0; i < node.length; i++) {
        if (!(i in node)) return UNSHAPED;
        const item = this.shapeOf(node[i], values, seen, true);
        if (item === UNSHAPED) return UNSHAPED;
        key += `${item},`;
      }
      return `${key}]`;
    }
    if (!isPlainObject(node)) return UNSHAPED;
    let key = '{';
    for (const k of Object.keys(node)) {
      const child = this.shapeOf((node as Record<string, unknown>)[k], values, seen);
      if (child === UNSHAPED) return UNSHAPED;
      // Length-prefixed: no key can be mistaken for another, whatever characters it holds.
      key += `${k.length}:${k}${child},`;
    }
    return `${key}}`;
  }

  /**
   * Asks the reference for the text of every string of `doc` not seen before, a few calls in all
   * instead of one per string (each call makes a YAML document, which costs more than the string).
   * Only strings of one line are asked together: their text is one line of the answer each.
   */
  private learnStrings(doc: unknown): void {
    const fresh = { map: new Set<string>(), sequence: new Set<string>() };
    const walk = (node: unknown, inSequence: boolean, depth: number) => {
      if (typeof node === 'string') {
        if (!node.includes('\n') && !(inSequence ? this.sequenceStrings : this.mapStrings).has(node)) (inSequence ? fresh.sequence : fresh.map).add(node);
      } else if (node !== null && typeof node === 'object' && depth < 64) {
        if (Array.isArray(node)) for (const item of node) walk(item, true, depth + 1);
        else for (const k of Object.keys(node)) walk((node as Record<string, unknown>)[k], false, depth + 1);
      }
    };
    walk(doc, false, 0);
    this.learnTogether([...fresh.map], false);
    this.learnTogether([...fresh.sequence], true);
  }

  /** The text of each of `strings` in one call of the reference; each one it does not give as one line is asked alone. */
  private learnTogether(strings: readonly string[], inSequence: boolean): void {
    if (strings.length === 0) return;
    const memo = inSequence ? this.sequenceStrings : this.mapStrings;
    const written = this.reference(inSequence ? strings : Object.fromEntries(strings.map((v, i) => [`k${i}`, v])));
    const lines = written.split('\n');
    if (lines.length === strings.length + 1 && lines[strings.length] === '') {
      strings.forEach((value, i) => {
        const prefix = inSequence ? '- ' : `k${i}: `;
        const line = lines[i];
        if (line.startsWith(prefix) && !line.includes(PLACEHOLDER)) memo.set(value, line.slice(prefix.length));
      });
    }
    // Whatever was not learned here is asked alone when it is met.
  }

  /** The reference's text for a one-line value as a map's value or a sequence's item; null when it takes more lines. */
  private valueText(value: string | number | boolean | null, inSequence: boolean): string | null {
    const memo = typeof value === 'string' ? (inSequence ? this.sequenceStrings : this.mapStrings) : this.others;
    const key = typeof value === 'string' ? value : `${inSequence ? 'q' : 'm'}${typeof value}${typeof value === 'number' && Object.is(value, -0) ? '-0' : String(value)}`;
    let text = memo.get(key);
    if (text === undefined) {
      const written = this.reference(inSequence ? [value] : { k: value });
      const prefix = inSequence ? '- ' : 'k: ';
      const body = written.startsWith(prefix) && written.endsWith('\n') ? written.slice(prefix.length, -1) : undefined;
      text = body !== undefined && !body.includes('\n') && !body.includes(PLACEHOLDER) ? body : null;
      memo.set(key, text);
    }
    return text;
  }

  /** The text of `doc`'s shape, split at its `count` placeholders; null when they cannot be found exactly. */
  private makeShape(doc: Record<string, unknown>, count: number): Shape | null {
    let made = 0;
    const withPlaceholders = (node: unknown, inSequence: boolean): unknown => {
      if (node === null || typeof node !== 'object') {
        if (this.valueText(node as string | number | boolean | null, inSequence) === null) return node;
        made += 1;
        return PLACEHOLDER;
      }
      if (Array.isArray(node)) return node.map((item) => withPlaceholders(item, true));
      const copy: Record<string, unknown> = {};
      for (const k of Object.keys(node)) copy[k] = withPlaceholders((node as Record<string, unknown>)[k], false);
      return copy;
    };
    const template = withPlaceholders(doc, false);
    const parts = this.reference(template).split(PLACEHOLDER);
    return made === count && parts.length === count + 1 ? { parts } : null;
  }
}

function assemble(shape: Shape, values: readonly string[]): string {
  let text = shape.parts[0];
  for (let i = 0; i < values.length; i++) text += values[i] + shape.parts[i + 1];
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A function that runs an app's `synthYaml()` and returns its text, written by `YamlByShape`
 * instead of cdk8s's `Yaml.stringify` (the same text, faster for documents of a repeated shape).
 * synthYaml() validates and renders the charts, then hands every document to `Yaml.stringify`
 * once: that call is taken for the time of synthYaml(). If cdk8s makes no such call, or more
 * than one, its own text is used; and the first namespace's text is compared with cdk8s's, so
 * a cdk8s version that joins documents otherwise is written by cdk8s from then on.
 */
export function yamlWriter(Yaml: typeof import('cdk8s').Yaml): (synthYaml: () => string) => string {
  const stringify = Yaml.stringify.bind(Yaml);
  const byShape = new YamlByShape((doc) => stringify(doc));
  const joined = (docs: unknown[]) => docs.map((doc) => (doc === undefined ? '\n' : byShape.stringify(doc))).join('---\n');
  let compared = false;
  let useShapes = true;
  return (synthYaml) => {
    const own = Object.getOwnPropertyDescriptor(Yaml, 'stringify');
    if (!useShapes || !own?.writable) return synthYaml();
    const calls: unknown[][] = [];
    Yaml.stringify = (...docs: any[]) => {
      calls.push(docs);
      return '';
    };
    let text: string;
    try {
      text = synthYaml();
    } finally {
      Object.defineProperty(Yaml, 'stringify', own);
    }
    if (calls.length === 0) return text;
    if (calls.length > 1) return synthYaml();
    const mine = joined(calls[0]);
    if (!compared) {
      compared = true;
      const theirs = stringify(...calls[0]);
      if (theirs !== mine) {
        useShapes = false;
        return theirs;
      }
    }
    return mine;
  };
}

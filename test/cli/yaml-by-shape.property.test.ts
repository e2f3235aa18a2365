// YamlByShape (src/cli/yaml-by-shape.ts) writes what cdk8s's Yaml.stringify writes, byte for
// byte, for any document: the property below throws documents of repeated shapes with hostile
// values at both and compares. `synth` relies on it for every manifest it writes.
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { YamlByShape } from '../../src/cli/yaml-by-shape';

const reference = (doc: unknown) => Yaml.stringify(doc);

/** Text that YAML 1.1 treats specially, or that a plain scalar cannot hold. */
const HOSTILE = [
  '', ' ', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'null', '~', 'NULL', '0', '-1', '1e3', '0x1F', '0o17', '017', '1:20', '.5', '+1',
  '.inf', '-.Inf', '.NaN', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '<<', '=', '---', '...', '- x', '? x', ': x', 'a: b', 'a #b',
  'a# b', '#x', '%x', '@x', '`x', '!x', '&x', '*x', '{', '}', '[a]', ',', '|', '>', "'", '"', 'a"b', "a'b", '\\', 'tab\there',
  ' lead', 'trail ', 'é', '雪', '😀', '\u0085', '\u2028', '\u0007bell', 'line\nbreak', 'ends\n', '\n', 'two\n\nblank', ' \nspace',
  'iwi0slot0b7e1c', 'x iwi0slot0b7e1c y', 'k: v\n- item',
];

const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/));
const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

/**
 * A shape: a tree of maps and sequences whose leaves are slots, with fixed keys. `fill` turns
 * it into a document with the given leaf values, so many documents share one shape.
 */
type ShapeNode = { kind: 'leaf' } | { kind: 'map'; entries: [string, ShapeNode][] } | { kind: 'seq'; items: ShapeNode[] };
const shape: fc.Arbitrary<ShapeNode> = fc.letrec<{ node: ShapeNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<ShapeNode>({ kind: 'leaf' }),
    fc.array(fc.tuple(fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9./-]{0,15}$/), fc.constantFrom(...HOSTILE)), tie('node')), { maxLength: 5 })
      .map((entries): ShapeNode => ({ kind: 'map', entries: dedupe(entries) })),
    fc.array(tie('node'), { maxLength: 4 }).map((items): ShapeNode => ({ kind: 'seq', items })),
  ),
})).node;

function dedupe(entries: [string, ShapeNode][]): [string, ShapeNode][] {
  const seen = new Set<string>();
  return entries.filter(([k]) => (seen.has(k) ? false : (seen.add(k), true)));
}

function leaves(node: ShapeNode): number {
  if (node.kind === 'leaf') return 1;
  if (node.kind === 'map') return node.entries.reduce((n, [, child]) => n + leaves(child), 0);
  return node.items.reduce((n, child) => n + leaves(child), 0);
}

function fill(node: ShapeNode, values: unknown[]): unknown {
  if (node.kind === 'leaf') return values.shift();
  if (node.kind === 'map') return Object.fromEntries(node.entries.map(([k, child]) => [k, fill(child, values)]));
  return node.items.map((child) => fill(child, values));
}

/** A top-level map of a shape, and several documents of it. */
const documentsOfOneShape = shape
  .map((s): ShapeNode => (s.kind === 'map' ? s : { kind: 'map', entries: [['spec', s]] }))
  .chain((s) => fc.array(fc.array(leaf, { minLength: leaves(s), maxLength: leaves(s) }), { minLength: 1, maxLength: 6 })
    .map((valueSets) => valueSets.map((values) => fill(s, [...values]))));

describe('YamlByShape writes what cdk8s writes', () => {
  test('for documents of repeated shapes with any values, byte for byte', () => {
    fc.assert(fc.property(fc.array(documentsOfOneShape, { minLength: 1, maxLength: 4 }), (groups) => {
      // GIVEN one writer for a whole run, as synth has
      const byShape = new YamlByShape(reference);
      // WHEN it writes every document, shapes interleaved
      for (const doc of groups.flat()) {
        // THEN each text is the reference's
        expect(byShape.stringify(doc)).toBe(reference(doc));
      }
    }), { numRuns: 300 });
  });

  test('for a value met again in another place of another shape', () => {
    // GIVEN a writer that has written a value as a map's value at the top
    const byShape = new YamlByShape(reference);
    byShape.stringify({ a: 'yes', b: 'plain', c: '- x' });
    // WHEN the same values stand deep in sequences of maps and as sequence items
    const doc = { spec: { list: [{ a: 'yes' }, 'plain', ['- x', 'yes']], deep: { deeper: [[['plain']]] } } };
    // THEN the text is the reference's
    expect(byShape.stringify(doc)).toBe(reference(doc));
  });

  test('for an object met twice in a document, which YAML writes as an alias', () => {
    const shared = { app: 'orders' };
    const doc = { metadata: { labels: shared }, spec: { selector: { matchLabels: shared } } };
    expect(new YamlByShape(reference).stringify(doc)).toBe(reference(doc));
    expect(reference(doc)).toContain('*a1');
  });

  test.each([
    ['undefined values', { a: undefined, b: [1, undefined] }],
    ['a sparse array', { a: [1, , 3] }], // eslint-disable-line no-sparse-arrays
    ['a Date', { at: new Date(0) }],
    ['a class instance', { it: new (class Point { x = 1; })() }],
    ['a Map', { m: new Map([['a', 1]]) }],
    ['an object with toJSON', { t: { toJSON: () => 'x' } }],
    ['empty collections', { a: {}, b: [], c: [{}], d: [[]] }],
    ['a key holding the placeholder', { 'iwi0slot0b7e1c': 'v', x: 'iwi0slot0b7e1c' }],
    ['a sequence at the top', [1, 'two']],
    ['a string at the top', 'text'],
    ['-0 and 0', { a: -0, b: 0, c: [-0, 0] }],
  ])('for %s', (_name, doc) => {
    const byShape = new YamlByShape(reference);
    expect(byShape.stringify(doc)).toBe(reference(doc));
    expect(byShape.stringify(doc)).toBe(reference(doc));
  });
});

describe('YamlByShape asks the reference once per shape and value', () => {
  test('so a hundred documents of one shape and few values cost a handful of calls', () => {
    // GIVEN a reference that counts its calls
    let calls = 0;
    const byShape = new YamlByShape((doc) => {
      calls += 1;
      return reference(doc);
    });
    // WHEN a hundred documents of one shape, with values from a set of three, are written
    const docs = Array.from({ length: 100 }, (_, i) => ({ kind: 'Job', metadata: { name: ['a', 'b', 'c'][i % 3] }, spec: { replicas: i % 3 } }));
    for (const doc of docs) expect(byShape.stringify(doc)).toBe(reference(doc));
    // THEN the reference was called far fewer times than there are documents
    expect(calls).toBeLessThan(20);
  });
});

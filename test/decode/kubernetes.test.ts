// The Kubernetes decoder on its own: YAML 1.1 as sigs.k8s.io/yaml (go-yaml v2) reads it, the
// JSON sniffing of apimachinery's YAMLOrJSONDecoder, encodings by BOM, Lists, shapes.
import { ReadError } from '../../src/decode/files';
import { decodeKubernetesFile, MAX_EXPANDED_WEIGHT } from '../../src/decode/kubernetes';

const decode = (text: string | Buffer) => decodeKubernetesFile('f.yaml', Buffer.isBuffer(text) ? text : Buffer.from(text)).map((d) => d.manifest);
const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n${data}`;

describe('YAML 1.1 scalars', () => {
  test.each([['yes', true], ['Yes', true], ['on', true], ['ON', true], ['y', true], ['no', false], ['off', false], ['n', false], ['true', true], ['False', false]])('%s decodes to %s', (text, value) => {
    // GIVEN a plain scalar
    // WHEN decoded
    const [m] = decode(cm(`x: ${text}\n`));
    // THEN it is the YAML 1.1 boolean
    expect(m.x).toBe(value);
  });

  test('quoted "yes" stays a string', () => {
    // GIVEN a quoted scalar
    // WHEN decoded
    const [m] = decode(cm('x: "yes"\n'));
    // THEN a string
    expect(m.x).toBe('yes');
  });

  test('0755 is the octal number 493, as in YAML 1.1', () => {
    // GIVEN a defaultMode written the old way
    // WHEN decoded
    const [m] = decode(cm('mode: 0755\n'));
    // THEN octal
    expect(m.mode).toBe(493);
  });
});

describe('merge keys', () => {
  test('a << merge brings in keys, and the map\'s own keys win', () => {
    // GIVEN a map merging an anchored base and overriding one key
    // WHEN decoded
    const [m] = decode(cm('base: &b { a: 1, b: 2 }\nx:\n  <<: *b\n  b: 3\n'));
    // THEN merged with the explicit value kept
    expect(m.x).toEqual({ a: 1, b: 3 });
  });

  test('a << merge of a list of maps takes the first map\'s value for a shared key', () => {
    // GIVEN two merged maps sharing a key
    // WHEN decoded
    const [m] = decode(cm('p: &p { a: 1 }\nq: &q { a: 2, c: 3 }\nx:\n  <<: [*p, *q]\n'));
    // THEN as YAML 1.1's merge spec says: earlier maps win
    expect(m.x).toEqual({ a: 1, c: 3 });
  });
});

describe('documents and Lists', () => {
  test('skips empty documents and documents without kind', () => {
    // GIVEN an empty document, a values file and a ConfigMap
    // WHEN decoded
    const ms = decode(`---\n---\nreplicas: 3\n---\n${cm('')}`);
    // THEN only the ConfigMap
    expect(ms.map((m) => m.kind)).toEqual(['ConfigMap']);
  });

  test('a List with items: null holds nothing', () => {
    // GIVEN a List without items
    // WHEN decoded
    // THEN no objects, no error
    expect(decode('apiVersion: v1\nkind: List\nitems: null\n')).toEqual([]);
  });

  test('a kind ending in List without items is an object of its own', () => {
    // GIVEN a custom kind named AllowList with a spec
    // WHEN decoded
    const ms = decode('apiVersion: example.com/v1\nkind: AllowList\nmetadata: { name: a }\nspec: {}\n');
    // THEN it is kept as one object
    expect(ms.map((m) => m.kind)).toEqual(['AllowList']);
  });

  test('refuses Lists nested deeper than anyone writes them', () => {
    // GIVEN 40 nested Lists
    let text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
    for (let i = 0; i < 40; i++) text = `{"apiVersion":"v1","kind":"List","items":[${text}]}`;
    // WHEN decoded
    // THEN a ReadError
    expect(() => decode(text)).toThrow(ReadError);
  });

  test('a file that starts with { is JSON: JSON escapes and numbers are JSON\'s', () => {
    // GIVEN JSON with a unicode escape
    // WHEN decoded
    const [m] = decode('  {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"\\u0041"}}');
    // THEN decoded as JSON
    expect(m.data.k).toBe('A');
  });

  test('timestamps stay the text written, as go-yaml v2 keeps them when decoding into interface{}', () => {
    // GIVEN unquoted dates in data
    // WHEN decoded
    const [m] = decode(cm('data: { d: 2001-12-14, t: 2001-12-14t21:59:43.10-05:00 }\n'));
    // THEN the strings as written, not Date objects
    expect(m.data).toEqual({ d: '2001-12-14', t: '2001-12-14t21:59:43.10-05:00' });
  });

  test('explicit !!binary and !!set decode to JSON values', () => {
    // GIVEN a binary scalar and a set
    // WHEN decoded
    const [m] = decode(cm('b: !!binary aGVsbG8=\ns: !!set { a, b }\n'));
    // THEN base64 text and an object of keys
    expect(m.b).toBe('aGVsbG8=');
    expect(m.s).toEqual({ a: null, b: null });
  });
});

describe('bounds', () => {
  test('counts expanded size, not the number of aliases', () => {
    // GIVEN 20 levels of 9 aliases each: 180 aliases, 9^20 nodes expanded
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 20; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
    // WHEN decoded
    // THEN refused with the budget named, quickly
    const started = Date.now();
    expect(() => decode(cm(text))).toThrow(`beyond ${MAX_EXPANDED_WEIGHT} nodes`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('every error is a ReadError naming the file', () => {
    for (const text of ['a: [', `a: ${'['.repeat(100_000)}`, `a: &x ${'['.repeat(50_000)}\nb: *x\n`, `${'['.repeat(100_000)}`, `{"a":${'['.repeat(100_000)}`, 'kind: [1]', '- 1', '"just text"', 'apiVersion: v1\nkind: Pod\nspec: { containers: [1] }\n']) {
      // GIVEN a malformed file
      // WHEN decoded
      // THEN a ReadError starting with the file name, never a TypeError
      let caught: unknown;
      try {
        decode(text);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ReadError);
      expect((caught as Error).message.startsWith('f.yaml')).toBe(true);
    }
  });
});

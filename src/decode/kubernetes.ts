// Kubernetes manifests decoded as kubectl decodes them, so `check` judges what will be applied:
// - YAML 1.1 (sigs.k8s.io/yaml decodes with go-yaml's YAML 1.1 rules: `yes`, `on`, `y` are
//   true) with `<<` merge keys, whatever `%YAML` directive a file carries;
// - a document that starts with `{` is JSON, as apimachinery's YAMLOrJSONDecoder sniffs it;
// - `.json`, `.yaml` and `.yml` files (kubectl's FileExtensions), UTF-8 or UTF-16 by BOM;
// - `List` kinds (`List`, `PodList`, `DeploymentList`...) unwrapped at any depth.
// Aliases are expanded only within a budget on the expanded size, so a small file cannot
// amplify into gigabytes; duplicate keys are refused (which of two values applies is a trap).
import { Alias, Composer, Document, DocumentOptions, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, ParseOptions, Parser, SchemaOptions } from 'yaml';
import type { KubernetesDocument } from '../rules/types';
import { decodeText, excerpt, filesUnder, readRegularFile, ReadError } from './files';
import { checkManifestShape } from './kubernetes-shape';

/** kubectl's FileExtensions (kubernetes/cli-runtime pkg/resource/builder.go). */
export const KUBERNETES_FILE = /\.(ya?ml|json)$/;

/**
 * The expanded size a document may reach through aliases, in weight units (one per node plus
 * one per 64 characters of scalar text): about 8 million nodes, far beyond any manifest and far
 * below what exhausts the heap. A larger file may expand to its own length: a document without
 * aliases never weighs more than its text, so only aliases can trip the limit, and what they
 * cost stays linear in the input.
 */
export const MAX_EXPANDED_WEIGHT = 8_000_000;

/** How deep `List`s may nest: deeper is an attack, not a manifest. */
const MAX_LIST_DEPTH = 32;

export interface KubernetesReadOptions {
  readonly maxFileSize: number;
}

/** Every Kubernetes object in the manifest files under `dir`. */
export function readKubernetesDir(dir: string, options: KubernetesReadOptions): KubernetesDocument[] {
  const out: KubernetesDocument[] = [];
  for (const file of filesUnder(dir, (n) => KUBERNETES_FILE.test(n) && !n.startsWith('.'))) {
    for (const doc of decodeKubernetesFile(file, readRegularFile(file, options.maxFileSize))) out.push(doc);
  }
  return out;
}

/**
 * The Kubernetes objects in one file's bytes. Documents without a `kind` (a kustomization, a
 * values file) are skipped; anything malformed is a ReadError naming the file and the path.
 */
export function decodeKubernetesFile(file: string, bytes: Buffer): KubernetesDocument[] {
  const text = decodeText(bytes);
  let values: Decoded[];
  try {
    values = /^\s*\{/.test(text) ? [{ value: decodeJson(file, text), lines: {} }] : decodeYaml(file, text);
  } catch (e) {
    // The parsers and the weighing recurse: nesting deep enough to exhaust the stack is no manifest.
    if (e instanceof RangeError) throw new ReadError(`${file}: nested too deeply to be a manifest`);
    throw e;
  }
  const out: KubernetesDocument[] = [];
  values.forEach((d, i) => collectObjects(file, d.value, d.lines, values.length > 1 ? `document ${i + 1}` : '', '', 0, out));
  return out;
}

function decodeJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ReadError(`${file}: not valid JSON: ${(e as Error).message.slice(0, 120)}`);
  }
}

// go-yaml v2 keeps timestamp-like scalars as strings when decoding into interface{} ("for
// backward compatibility", yaml.v2 decode.go), which is how Kubernetes decodes manifests.
const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1', schema: 'yaml-1.1', merge: true, uniqueKeys: true,
  customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};

/** Where an object starts in its file, and where each item of a List does: for SARIF regions. */
interface Lines {
  readonly line?: number;
  readonly items?: readonly Lines[];
}

interface Decoded {
  readonly value: unknown;
  readonly lines: Lines;
}

/** The lines of `node` and, when it holds an `items` list, of each item, recursively. */
function linesOf(node: unknown, counter: LineCounter): Lines {
  const range = (node as Node | null)?.range;
  const line = range ? counter.linePos(range[0]).line : undefined;
  const items = isMap(node) ? node.get('items', true) : undefined;
  return isSeq(items) ? { line, items: items.items.map((i) => linesOf(i, counter)) } : { line };
}

/**
 * The documents of a YAML stream, composed one at a time so that only one document's syntax
 * tree is alive at once: a 20 MB file of 5,000 Deployments costs the memory of its values.
 */
function decodeYaml(file: string, text: string): Decoded[] {
  const lines = new LineCounter();
  const composer = new Composer(YAML_OPTIONS);
  const values: Decoded[] = [];
  const budget = Math.max(MAX_EXPANDED_WEIGHT, text.length);
  // Without a `*` in the file there is no alias to expand; weighing would cost time for nothing.
  const mayAlias = text.includes('*');
  // Only explicit tags (`!!binary`, `!!set`, `!!omap`) make values that are not plain JSON.
  const mayTag = text.includes('!');
  let n = 0;
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text))) {
    n++;
    const where = () => (n > 1 ? ` (document ${n})` : '');
    const problem = doc.errors[0];
    if (problem) {
      const at = lines.linePos(problem.pos[0]);
      throw new ReadError(`${file}${where()}: not valid YAML at line ${at.line}, column ${at.col}: ${problem.message.split('\n')[0].slice(0, 160)}`);
    }
    if (mayAlias && expandedWeight(doc.contents, doc, budget) > budget) {
      throw new ReadError(`${file}${where()}: aliases expand this document beyond ${budget} nodes (an alias bomb); write the repeated parts out or split the file`);
    }
    try {
      const value = doc.toJS({ maxAliasCount: -1 });
      values.push({ value: mayTag ? normalize(value) : value, lines: linesOf(doc.contents, lines) });
    } catch (e) {
      throw new ReadError(`${file}${where()}: cannot decode YAML: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
    }
  }
  const stray = composer.streamInfo().errors[0];
  if (stray) throw new ReadError(`${file}: not valid YAML at line ${lines.linePos(stray.pos[0]).line}: ${stray.message.split('\n')[0].slice(0, 160)}`);
  return values;
}

/**
 * The size of a node with every alias expanded, computed once per node, so it costs time
 * linear in the source however far the aliases would expand; stops counting past the budget.
 */
function expandedWeight(root: unknown, doc: Document.Parsed, budget: number): number {
  const memo = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  const weigh = (node: unknown): number => {
    if (node === null || node === undefined) return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    // An alias to one of its own ancestors never ends; the parser reports it, count it as huge.
    if (inProgress.has(node)) return budget + 1;
    inProgress.add(node);
    let w = 1;
    if (isAlias(node)) {
      w = weigh((node as Alias).resolve(doc));
    } else if (isScalar(node)) {
      w = 1 + Math.floor(String(node.value ?? '').length / 64);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        w += isPair(item) ? weigh(item.key) + weigh(item.value) : weigh(item as Node);
        if (w > budget) break;
      }
    }
    inProgress.delete(node);
    memo.set(node, w);
    return w;
  };
  return weigh(root);
}

/**
 * Plain JSON values only, as sigs.k8s.io/yaml converts through JSON: binary becomes base64,
 * sets and ordered maps plain objects.
 */
function normalize(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Set) return Object.fromEntries([...value].map((k) => [String(k), null]));
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), normalize(v)]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  return value;
}

/**
 * Adds the objects in `value` (unwrapping lists) to `out`, checking the shape of each. `doc`
 * names the document in a multi-document file; `path` leads from it to `value`.
 */
function collectObjects(file: string, value: unknown, lines: Lines, doc: string, path: string, depth: number, out: KubernetesDocument[]): void {
  if (value === null || value === undefined) return;
  const at = (p: string) => {
    const where = [doc, [path, p].filter(Boolean).join('.')].filter(Boolean).join(', ');
    return where ? `${file} at ${where}` : file;
  };
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ReadError(`${at('')}: a document must be a Kubernetes object or a List, not ${Array.isArray(value) ? 'a list' : excerpt(String(value))}`);
  }
  const manifest = value as Record<string, unknown>;
  const kind = manifest.kind;
  if (kind === undefined) return;
  if (typeof kind !== 'string') throw new ReadError(`${at('kind')}: must be a string, not ${excerpt(JSON.stringify(kind) ?? '')}`);
  if (kind.endsWith('List') && manifest.items !== undefined) {
    if (depth >= MAX_LIST_DEPTH) throw new ReadError(`${at('items')}: Lists nested more than ${MAX_LIST_DEPTH} deep`);
    if (manifest.items === null) return;
    if (!Array.isArray(manifest.items)) throw new ReadError(`${at('items')}: a ${excerpt(kind, 40)}'s items must be a list`);
    manifest.items.forEach((item, i) => collectObjects(file, item, lines.items?.[i] ?? { line: lines.line }, doc, [path, `items[${i}]`].filter(Boolean).join('.'), depth + 1, out));
    return;
  }
  const problem = checkManifestShape(manifest);
  if (problem) throw new ReadError(`${at(problem.path)}: ${problem.message}; the API server would reject this`);
  out.push({ file, manifest, ...(lines.line !== undefined ? { line: lines.line } : {}) });
}

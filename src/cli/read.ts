// Reads a synthesized (or hand-written) output folder into rule documents. Anything unreadable
// is a read error naming the file: a check that silently skips a broken file proves nothing.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { KubernetesDocument, TerraformDocument } from '../rules/types';

export class ReadError extends Error {}

/** Files under `dir` whose name passes `accept`, sorted, as paths that start with `dir`. */
function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ReadError(`${dir}: no such directory`);
  }
  if (!stat.isDirectory()) throw new ReadError(`${dir}: not a directory`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(p);
      } else if (accept(entry.name)) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReadError(`${file}: ${(e as Error).message}`);
  }
}

/**
 * Every Kubernetes object in the *.yaml and *.yml files under `dir`, multi-document files and
 * `kind: List` included. Documents that are not Kubernetes objects (no kind) are skipped, so a
 * kustomization or values file in the folder does no harm.
 */
export function readKubernetesDir(dir: string): KubernetesDocument[] {
  const out: KubernetesDocument[] = [];
  for (const file of filesUnder(dir, (n) => /\.ya?ml$/.test(n))) {
    const docs = parseAllDocuments(readText(file));
    // A file holding nothing but comments parses to no documents, not to an error.
    for (const doc of Array.isArray(docs) ? docs : []) {
      const problem = doc.errors[0];
      if (problem) throw new ReadError(`${file}: not valid YAML: ${problem.message.split('\n')[0]}`);
      const value = doc.toJS({ maxAliasCount: 1000 });
      const objects = value?.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
      for (const manifest of objects) {
        if (manifest !== null && typeof manifest === 'object' && typeof manifest.kind === 'string') out.push({ file, manifest });
      }
    }
  }
  return out;
}

/** Every `cdk.tf.json` under `dir` (cdktf writes one per stack, in stacks/<name>/). */
export function readTerraformDir(dir: string): TerraformDocument[] {
  return filesUnder(dir, (n) => n === 'cdk.tf.json').map((file) => {
    try {
      return { file, config: JSON.parse(readText(file)) };
    } catch (e) {
      if (e instanceof ReadError) throw e;
      throw new ReadError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
  });
}

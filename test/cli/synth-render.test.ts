// The Kubernetes side of `synth` (renderKubernetes in src/cli/synth.ts) writes each namespace's
// file as cdk8s's own Yaml.stringify writes the same objects, although it writes it by shape.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { renderKubernetes, RenderedNamespace } from '../../src/cli/synth';
import { workloadDeclarationsFromData } from '../../src/declarations';

const CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
const ROKS = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';

function declarations() {
  const identities = Array.from({ length: 9 }, (_, i) => ({
    name: `app-${i}`,
    serviceAccount: { namespace: `team-${i % 3}`, ...(i === 4 ? { name: 'yes' } : {}) },
    clusters: [i % 2 ? { kind: 'IKS', crn: CRN } : { kind: 'ROKS', crn: ROKS }],
    ...(i === 5 ? { acknowledgements: [{ ruleId: 'IWI-K4', reason: 'a reason long enough to count: "quoted", #hash, yes' }] } : {}),
    workload: { image: `icr.io/team/app-${i}:1.${i}.0`, ...(i % 2 ? { replicas: i, port: 8000 + i } : {}) },
  }));
  return workloadDeclarationsFromData({ identities }, 'identities.yaml', { requireWorkload: true });
}

async function render(): Promise<[string, RenderedNamespace][]> {
  const out: [string, RenderedNamespace][] = [];
  await renderKubernetes(declarations(), (file, namespace) => {
    out.push([file, namespace]);
  });
  return out;
}

describe('renderKubernetes', () => {
  test('writes every namespace as cdk8s\'s Yaml.stringify writes its objects, byte for byte', async () => {
    // GIVEN nine identities in three namespaces, on both cluster kinds, with values YAML quotes
    // WHEN the Kubernetes side is rendered
    const files = await render();
    // THEN each file is cdk8s's text of the objects it holds
    expect(files.map(([file]) => file)).toEqual(['team-0.k8s.yaml', 'team-1.k8s.yaml', 'team-2.k8s.yaml']);
    for (const [, { yaml, objects }] of files) {
      expect(objects).toBeDefined();
      expect(yaml).toBe(Yaml.stringify(...objects!));
    }
  });

  test('hands cdk8s\'s Yaml.stringify back unchanged afterwards', async () => {
    const before = Object.getOwnPropertyDescriptor(Yaml, 'stringify');
    await render();
    expect(Object.getOwnPropertyDescriptor(Yaml, 'stringify')).toEqual(before);
  });

  test('writes with cdk8s itself when cdk8s joins documents otherwise than the writer does', async () => {
    // GIVEN a cdk8s whose Yaml.stringify puts a comment between documents
    const original = Yaml.stringify;
    const joinedOtherwise = (...docs: any[]) => docs.map((d) => original.call(Yaml, d)).join('---\n# next\n');
    Yaml.stringify = joinedOtherwise;
    try {
      // WHEN the Kubernetes side is rendered
      const files = await render();
      // THEN every file is that cdk8s's text
      for (const [, { yaml, objects }] of files) expect(yaml).toBe(joinedOtherwise(...objects!));
      expect(files[0][1].yaml).toContain('# next');
    } finally {
      Yaml.stringify = original;
    }
  });
});

describe('synth under its memory budget', () => {
  // The built command (its worker is lib/cli/synth-worker.js; `npm test` builds first).
  const built = require(path.join(__dirname, '..', '..', 'lib', 'cli', 'synth.js')) as typeof import('../../src/cli/synth');
  const dataFile = (dir: string) => {
    const identities = Array.from({ length: 6 }, (_, i) => ({
      name: `app-${i}`, serviceAccount: { namespace: `team-${i % 3}` }, clusters: [{ kind: 'IKS', crn: CRN }], workload: { image: `icr.io/team/app-${i}:1.0.0` },
    }));
    fs.writeFileSync(path.join(dir, 'identities.json'), JSON.stringify({ identities }));
    return path.join(dir, 'identities.json');
  };
  const run = async (dir: string, memoryBudgetMb?: number) => {
    const progress: string[] = [];
    const status = await built.synth({
      file: dataFile(dir), k8sOut: path.join(dir, 'dist'), terraformOut: path.join(dir, 'cdktf.out'), stack: 'workload-identities', engine: 'cdktf', maxFileSize: 1 << 20,
      ...(memoryBudgetMb !== undefined ? { memoryBudgetMb } : {}),
    }, (line) => progress.push(`err: ${line}`), (line) => progress.push(line));
    return { status, progress, files: readTree(dir) };
  };

  test('waits for the Terraform side once the budget is exceeded, and writes the same files', async () => {
    // GIVEN two folders
    const [a, b] = [fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-budget-')), fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-budget-'))];
    try {
      // WHEN synth runs with a budget no process reaches (a test process may hold more than the
      // default) and with a budget of 0 MB
      const normal = await run(a, Number.MAX_SAFE_INTEGER);
      const waiting = await run(b, 0);
      // THEN the second waited for the Terraform side before its first namespace, the first did not
      expect(waiting.progress.filter((l) => l.startsWith('waiting for the Terraform side'))).toHaveLength(1);
      expect(normal.progress.some((l) => l.startsWith('waiting'))).toBe(false);
      // AND both wrote the same files
      expect([normal.status, waiting.status]).toEqual([0, 0]);
      expect(waiting.files).toEqual(normal.files);
      expect(Object.keys(normal.files)).toContain('dist/team-0.k8s.yaml');
    } finally {
      for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

/** Every file under `dir` but the data file, by relative path. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}${e.name}/`);
      else if (e.name !== 'identities.json') out[`${prefix}${e.name}`] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

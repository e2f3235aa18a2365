// examples/platform: identities declared in one YAML file, synthesized into a chart (and file) per
// namespace and one cdktf stack, at small N: the example file and 20 generated identities.
// Broken files fail naming the file, the entry and the field.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as TerraformApp } from 'cdktf';
import * as YAML from 'yaml';
import { ClusterKind, WorkloadIdentity } from '../../src';
import { loadDeclarations, PlatformIdentity } from '../../examples/platform/declarations';
import { synthKubernetes } from '../../examples/platform/k8s';
import { buildStack, STACK_NAME } from '../../examples/platform/terraform';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE_FILE = path.join(ROOT, 'examples', 'platform', 'identities.yaml');
// The bench's generator: the same shape of file, at any N.
const { generateDeclarations } = require('../../bench/data') as { generateDeclarations(n: number): { identities: any[] } };

jest.setTimeout(60_000);

const scratchDirs: string[] = [];
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-platform-'));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface K8sOutput {
  /** Manifest file names, sorted. */
  readonly files: string[];
  /** `<file>: <kind> <namespace>/<name>` for every object. */
  readonly objects: Set<string>;
  readonly manifests: any[];
}

/** Synthesizes the k8s side of `declarations` into a scratch directory and reads it back. */
function synthK8s(declarations: readonly PlatformIdentity[]): K8sOutput {
  const outdir = scratch();
  synthKubernetes(declarations, outdir);
  const files = fs.readdirSync(outdir).sort();
  const objects = new Set<string>();
  const manifests: any[] = [];
  for (const file of files) {
    for (const m of YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((d) => d.toJS())) {
      objects.add(`${file}: ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`);
      manifests.push(m);
    }
  }
  return { files, objects, manifests };
}

/** Synthesizes the Terraform side of `declarations` into a scratch directory; returns the stack's JSON. */
function synthTerraform(declarations: readonly PlatformIdentity[]): any {
  const outdir = scratch();
  const app = new TerraformApp({ outdir });
  buildStack(app, declarations);
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', STACK_NAME, 'cdk.tf.json'), 'utf8'));
}

/** Writes `data` as YAML into a scratch file and returns its path. */
function yamlFile(data: unknown): string {
  const file = path.join(scratch(), 'identities.yaml');
  fs.writeFileSync(file, YAML.stringify(data));
  return file;
}

const exampleDeclarations = loadDeclarations(EXAMPLE_FILE);

describe('the example file, Kubernetes side', () => {
  test('writes one manifest file per namespace', () => {
    // GIVEN the example identities, in namespaces payments, orders and platform-tools
    // WHEN the k8s app synthesizes
    const { files } = synthK8s(exampleDeclarations);
    // THEN each namespace has its own file
    expect(files).toEqual(['orders.k8s.yaml', 'payments.k8s.yaml', 'platform-tools.k8s.yaml']);
  });

  test('gives every identity its ServiceAccount, Deployment and token-fetch Job in its namespace\'s file', () => {
    // GIVEN the example identities
    // WHEN the k8s app synthesizes
    const { objects, manifests } = synthK8s(exampleDeclarations);
    // THEN each identity has exactly its three objects, in the file of its namespace
    const expected = exampleDeclarations.flatMap(({ identity: { name, serviceAccount: sa } }) => [
      `${sa.namespace}.k8s.yaml: ServiceAccount ${sa.namespace}/${sa.name}`,
      `${sa.namespace}.k8s.yaml: Deployment ${sa.namespace}/${name}`,
      `${sa.namespace}.k8s.yaml: Job ${sa.namespace}/${name}-token-fetch`,
    ]);
    expect([...objects].sort()).toEqual(expected.sort());
    expect(manifests).toHaveLength(3 * exampleDeclarations.length);
  });

  test('runs each Deployment with the image and replicas from the file, as the identity\'s service account', () => {
    // GIVEN the example identities
    // WHEN the k8s app synthesizes
    const { manifests } = synthK8s(exampleDeclarations);
    // THEN every Deployment matches its entry
    for (const { identity, workload } of exampleDeclarations) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === identity.name);
      expect({
        image: deployment.spec.template.spec.containers[0].image,
        replicas: deployment.spec.replicas,
        serviceAccountName: deployment.spec.template.spec.serviceAccountName,
      }).toEqual({ image: workload.image, replicas: workload.replicas ?? 1, serviceAccountName: identity.serviceAccount.name });
    }
  });
});

describe('the example file, Terraform side', () => {
  test('puts one trusted profile per identity in one stack, named as the file says', () => {
    // GIVEN the example identities (cert-sync has profileName platform-cert-sync)
    // WHEN the cdktf app synthesizes
    const json = synthTerraform(exampleDeclarations);
    // THEN the stack has one profile per identity, with its profile name
    const names = Object.values(json.resource.ibm_iam_trusted_profile).map((p: any) => p.name).sort();
    expect(names).toEqual(exampleDeclarations.map((d) => d.identity.profileName).sort());
    expect(names).toContain('platform-cert-sync');
  });

  test('trusts exactly the service accounts the Kubernetes side creates', () => {
    // GIVEN the example identities, one of them (orders-api) trusted by claim rule
    // WHEN both sides synthesize
    const json = synthTerraform(exampleDeclarations);
    const { manifests } = synthK8s(exampleDeclarations);
    // THEN the links and claim rules name the service accounts of the ServiceAccount manifests
    const linked = Object.values(json.resource.ibm_iam_trusted_profile_link).map((l: any) => `${l.link.namespace}/${l.link.name}`);
    const ruled = Object.values(json.resource.ibm_iam_trusted_profile_claim_rule).map((r: any) => {
      const value = (claim: string) => JSON.parse(r.conditions.find((c: any) => c.claim === claim).value);
      return `${value('namespace')}/${value('name')}`;
    });
    const accounts = manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
    expect([...linked, ...ruled].sort()).toEqual(accounts.sort());
    expect(ruled).toEqual(['orders/orders-api']);
  });
});

describe('the Kubernetes side when one namespace fails', () => {
  test('writes no namespace\'s file', () => {
    // GIVEN 41 identities in three namespaces, the last one replaced in code (past the loader, which
    // refuses this) by one on IKS and ROKS whose workload does not say which kind the Job targets
    const declarations = loadDeclarations(yamlFile(generateDeclarations(41)));
    const last = declarations[40];
    const crn = last.identity.clusters[0].crn!;
    const mixed = new WorkloadIdentity({ name: last.identity.name, serviceAccount: last.identity.serviceAccount, clusters: [{ kind: ClusterKind.IKS, crn }, { kind: ClusterKind.ROKS, crn: crn.replace(/:([a-z0-9]+)::$/, ':other::') }] });
    declarations[40] = { identity: mixed, workload: { ...last.workload, clusterKind: undefined } };
    const outdir = path.join(scratch(), 'dist');
    // WHEN the Kubernetes side synthesizes
    // THEN it fails on that identity, and not even the files of the first two namespaces are written
    expect(() => synthKubernetes(declarations, outdir)).toThrow(/tokenFetchJob\.clusterKind/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe('a generated file of 20 identities', () => {
  const file = yamlFile(generateDeclarations(20));

  test('synthesizes one chart file per namespace with three objects per identity', () => {
    // GIVEN 20 generated identities in one namespace per 20 identities, read from a YAML file
    const declarations = loadDeclarations(file);
    // WHEN the k8s app synthesizes
    const { files, manifests } = synthK8s(declarations);
    // THEN there is one file for the one namespace, holding 60 objects
    expect(files).toEqual(['team-000.k8s.yaml']);
    expect(manifests).toHaveLength(60);
  });

  test('synthesizes one trusted profile and two policies per identity in one stack', () => {
    // GIVEN the same 20 identities
    const declarations = loadDeclarations(file);
    // WHEN the cdktf app synthesizes
    const json = synthTerraform(declarations);
    // THEN each identity has its profile, its trust and its two policies
    expect(Object.keys(json.resource.ibm_iam_trusted_profile)).toHaveLength(20);
    expect(Object.keys(json.resource.ibm_iam_trusted_profile_policy)).toHaveLength(40);
    expect(Object.keys(json.resource.ibm_iam_trusted_profile_link).length + Object.keys(json.resource.ibm_iam_trusted_profile_claim_rule).length).toBe(20);
  });
});

describe('the compiled programs', () => {
  test('synth.js, which npm run synth:platform runs, writes both sides from one file', () => {
    // GIVEN the example file and two empty output directories
    const dir = scratch();
    const env = { ...process.env, CDK8S_OUTDIR: path.join(dir, 'k8s'), CDKTF_OUTDIR: path.join(dir, 'terraform') };
    // WHEN the compiled program runs, as a user runs it (`npm test` builds it first)
    const result = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'platform', 'synth.js'), EXAMPLE_FILE], { encoding: 'utf8', env });
    // THEN both the namespace manifests and the stack are written
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'k8s')).sort()).toEqual(['orders.k8s.yaml', 'payments.k8s.yaml', 'platform-tools.k8s.yaml']);
    expect(fs.existsSync(path.join(dir, 'terraform', 'stacks', STACK_NAME, 'cdk.tf.json'))).toBe(true);
  });
});

describe('synth.js replaces both output folders together', () => {
  function runSynth(file: string, dir: string) {
    const env = { ...process.env, CDK8S_OUTDIR: path.join(dir, 'k8s'), CDKTF_OUTDIR: path.join(dir, 'terraform') };
    return spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'platform', 'synth.js'), file], { encoding: 'utf8', env });
  }
  const snapshot = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .map((f) => [f, fs.statSync(path.join(dir, f)).isFile() ? fs.readFileSync(path.join(dir, f), 'utf8') : '']);

  test('leaves both folders as they were when only the Terraform side refuses an identity', () => {
    // GIVEN outputs from 3 identities, then a file adding one that attaches to an existing
    // profile by name only: the Kubernetes side selects profiles by name and accepts it, while
    // the Terraform provider looks profiles up by ID and so the Terraform side refuses it
    const dir = scratch();
    const data = generateDeclarations(3);
    expect(runSynth(yamlFile(data), dir).status).toBe(0);
    const before = snapshot(dir);
    const more = generateDeclarations(4);
    more.identities[3].existingProfile = { name: 'shared-reader' };
    delete more.identities[3].description;
    delete more.identities[3].profileName;
    // WHEN synth.js runs on it
    const result = runSynth(yamlFile(more), dir);
    // THEN it fails naming the missing ID, says nothing was written, and neither folder changed
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Terraform side: .*existingProfile\.id/);
    expect(result.stderr).toContain('nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  test('removes the file of a namespace no longer in the declarations', () => {
    // GIVEN outputs of 45 identities in three namespaces
    const dir = scratch();
    expect(runSynth(yamlFile(generateDeclarations(45)), dir).status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'k8s')).sort()).toEqual(['team-000.k8s.yaml', 'team-001.k8s.yaml', 'team-002.k8s.yaml']);
    // WHEN the file shrinks to 40 identities in two namespaces
    expect(runSynth(yamlFile(generateDeclarations(40)), dir).status).toBe(0);
    // THEN the third namespace's manifest is gone, and nothing is left beside the folders
    expect(fs.readdirSync(path.join(dir, 'k8s')).sort()).toEqual(['team-000.k8s.yaml', 'team-001.k8s.yaml']);
    expect(fs.readdirSync(dir).sort()).toEqual(['k8s', 'terraform']);
  });
});

describe('a broken file', () => {
  test('makes synth.js exit 1, saying each problem once, with neither side written', () => {
    // GIVEN a file whose one entry has a bad token lifetime
    const data = generateDeclarations(1);
    data.identities[0].token = { expirationSeconds: 7200 };
    const file = yamlFile(data);
    const dir = scratch();
    const env = { ...process.env, CDK8S_OUTDIR: path.join(dir, 'k8s'), CDKTF_OUTDIR: path.join(dir, 'terraform') };
    // WHEN the compiled program that runs both sides runs on it
    const result = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'platform', 'synth.js'), file], { encoding: 'utf8', env });
    // THEN it fails with the problem once, and no output directory exists
    expect(result.status).toBe(1);
    expect(result.stderr.split('token.expirationSeconds is 7200')).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('fails with the file, the entry and the field named', () => {
    // GIVEN the example file with the third entry's token lifetime beyond IAM's limit
    const data = YAML.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8'), { merge: true });
    data.identities[2].token = { expirationSeconds: 7200 };
    const file = yamlFile(data);
    // WHEN it is loaded
    // THEN the error points at the file, identities[2] (orders-api) and token.expirationSeconds
    expect(() => loadDeclarations(file)).toThrow(`${file}: identities[2] ("orders-api"): token.expirationSeconds is 7200; IAM refuses`);
  });

  test('names the workload field the Kubernetes side needs', () => {
    // GIVEN an entry whose image is not pinned
    const data = generateDeclarations(3);
    data.identities[1].workload.image = 'icr.io/team-000/app-01';
    const file = yamlFile(data);
    // WHEN it is loaded
    // THEN the error points at workload.image of that entry
    expect(() => loadDeclarations(file)).toThrow(`${file}: identities[1] ("team-000-app-01"): workload.image is "icr.io/team-000/app-01"; pin the image by tag or digest`);
  });

  test('with a YAML syntax error fails naming the file, line and column', () => {
    // GIVEN a file whose flow sequence is not closed on line 3
    const file = path.join(scratch(), 'identities.yaml');
    fs.writeFileSync(file, 'identities:\n  - name: payments-api\n    sdkServices: [secrets_manager\n');
    // WHEN it is loaded
    // THEN the error starts with file:line:column
    expect(() => loadDeclarations(file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });

  test('makes the compiled k8s program exit 1 with every problem on stderr and write nothing', () => {
    // GIVEN a file with a misspelt key in one entry and a duplicate name in another
    const data = generateDeclarations(3);
    data.identities[0].serviceAccount = { namesapce: 'team-000' };
    data.identities[2].name = data.identities[1].name;
    const file = yamlFile(data);
    const outdir = path.join(scratch(), 'dist');
    // WHEN the compiled example runs on it, as a user runs it (`npm test` builds it first)
    const result = spawnSync(process.execPath, [path.join(ROOT, 'build', 'examples', 'platform', 'k8s.js'), file, outdir], { encoding: 'utf8' });
    // THEN it fails, naming both entries' fields, and writes no manifest
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: identities[0] ("team-000-app-00"): serviceAccount.namesapce is "team-000"; unknown key; did you mean "namespace"?`);
    expect(result.stderr).toContain(`${file}: identities[2] ("team-000-app-01"): name is "team-000-app-01"; identities[1] has the same name`);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

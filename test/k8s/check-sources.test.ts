// `iks-workload-identity check` on what apps of each kind write: an app of L1 objects only (no
// cdk8s-plus), an app of cdk8s-plus-33 workloads, and the ESO example. Runs the compiled bin and
// the compiled example (`npm test` builds both first), on outputs written to scratch folders.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include } from 'cdk8s';
import * as kplus33 from 'cdk8s-plus-33';
import { parseAllDocuments, stringify } from 'yaml';
import { WorkloadIdentityBinding } from '../../src/k8s';
import { makeIdentity } from './helpers';
import { KIND_BODIES, l1Object, removeYamlFiles, yamlFile } from './sources';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'lib', 'cli', 'main.js');
const ESO_EXAMPLE = path.join(ROOT, 'build', 'examples', 'eso');

jest.setTimeout(120_000);

const dirs: string[] = [];
afterAll(() => {
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  removeYamlFiles();
});
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-check-sources-'));
  dirs.push(dir);
  return dir;
}

function run(file: string, args: string[]) {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const check = (k8sDir: string) => run(BIN, ['check', '--k8s', k8sDir, '--no-terraform']);

/** Writes the charts `build` makes into a scratch folder, as `cdk8s synth` would. */
function synthesized(build: (app: App) => void): string {
  const outdir = scratch();
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

function objectsIn(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

test('an app of L1 objects and included YAML passes check', () => {
  // GIVEN an app with no cdk8s-plus object: an L1 Deployment, CronJob and OpenShift DeploymentConfig and an included StatefulSet, bound in one call
  const outdir = synthesized((app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'Sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders' }, automountServiceAccountToken: false });
    l1Object(chart, 'Deployment', 'Api');
    l1Object(chart, 'CronJob', 'Nightly');
    l1Object(chart, 'DeploymentConfig', 'Legacy');
    new Include(chart, 'Vendor', { url: yamlFile([{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache' }, ...KIND_BODIES.StatefulSet.body() }]) });
    WorkloadIdentityBinding.bindAll(chart, { identity: makeIdentity() });
  });
  // WHEN check reads the written manifests
  const r = check(outdir);
  // THEN it finds no error in the five objects
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^0 error\(s\), 0 warning\(s\), 0 acknowledged in 5 Kubernetes objects/m);
  expect(r.status).toBe(0);
});

test('an app of cdk8s-plus-33 workloads passes check', () => {
  // GIVEN an app with a cdk8s-plus-33 Deployment (with a native sidecar) and Job, bound in one call
  const outdir = synthesized((app) => {
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new kplus33.ServiceAccount(chart, 'Sa', { metadata: { name: 'orders' }, automountToken: false });
    new kplus33.Deployment(chart, 'Api', {
      containers: [{ name: 'api', image: 'example/api:1.0', portNumber: 8080 }],
      initContainers: [{ name: 'proxy', image: 'example/proxy:1.0', restartPolicy: kplus33.ContainerRestartPolicy.ALWAYS }],
    });
    new kplus33.Job(chart, 'Migrate', { containers: [{ name: 'migrate', image: 'example/migrate:1.0' }] });
    WorkloadIdentityBinding.bindAll(chart, { identity: makeIdentity() });
  });
  // WHEN check reads the written manifests
  const r = check(outdir);
  // THEN it finds no error
  expect(r.stdout).toMatch(/^0 error\(s\), 0 warning\(s\), 0 acknowledged in 3 Kubernetes objects/m);
  expect(r.status).toBe(0);
});

describe('the ESO example', () => {
  let k8sDir: string;
  let tfDir: string;

  beforeAll(() => {
    // GIVEN the compiled example's two apps, written to scratch folders
    const dir = scratch();
    k8sDir = path.join(dir, 'k8s');
    tfDir = path.join(dir, 'tf');
    for (const [app, out] of [['k8s.js', k8sDir], ['terraform.js', tfDir]]) {
      const r = run(path.join(ESO_EXAMPLE, app), [out]);
      if (r.status !== 0) throw new Error(`examples/eso/${app} exited ${r.status}: ${r.stderr}`);
    }
  });

  test('writes ESO bound to the identity, the store and the ExternalSecret', () => {
    // WHEN its output is read
    const objects = objectsIn(k8sDir);
    // THEN the controller has the token, the store names the same profile, and the ExternalSecret uses the store
    const controller = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'external-secrets');
    expect(controller.spec.template.spec.volumes).toContainEqual(expect.objectContaining({ name: 'sa-token' }));
    const store = objects.find((o) => o.kind === 'ClusterSecretStore');
    expect(store.spec.provider.ibm.auth.containerAuth).toEqual({ profile: 'external-secrets', tokenLocation: '/var/run/secrets/tokens/sa-token', iamEndpoint: 'https://iam.cloud.ibm.com' });
    const externalSecret = objects.find((o) => o.kind === 'ExternalSecret');
    expect(externalSecret.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: store.metadata.name });
  });

  test('passes check with both sides', () => {
    // WHEN check reads the manifests and the stack together
    const r = run(BIN, ['check', '--k8s', k8sDir, '--terraform', tfDir]);
    // THEN it finds no error
    expect(r.stdout).toMatch(/^0 error\(s\), 0 warning\(s\)/m);
    expect(r.status).toBe(0);
  });

  test('fails check once the controller\'s token is minted for another audience', () => {
    // GIVEN the example's output with the controller's token audience edited by hand
    const dir = scratch();
    const file = path.join(k8sDir, 'external-secrets.k8s.yaml');
    const objects = parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
    const controller = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'external-secrets');
    controller.spec.template.spec.volumes.find((v: any) => v.name === 'sa-token').projected.sources[0].serviceAccountToken.audience = 'vault';
    fs.writeFileSync(path.join(dir, 'external-secrets.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
    // WHEN check reads it
    const r = check(dir);
    // THEN it fails with the audience rule
    expect(r.stdout).toContain('IWI-K1');
    expect(r.status).toBe(1);
  });
});

test('check judges an OpenShift DeploymentConfig as a workload', () => {
  // GIVEN a hand-written DeploymentConfig whose container uses the IBM CLI's token file, with no token mounted
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'legacy.yaml'), stringify({
    apiVersion: 'apps.openshift.io/v1',
    kind: 'DeploymentConfig',
    metadata: { name: 'legacy', namespace: 'shop' },
    spec: { replicas: 1, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: {
      serviceAccountName: 'orders',
      containers: [{ name: 'legacy', image: 'example/legacy:1.0', env: [{ name: 'IBMCLOUD_CR_TOKEN', value: '@/var/run/secrets/tokens/sa-token' }, { name: 'IBMCLOUD_CR_PROFILE', value: 'orders' }] }],
    } } },
  }));
  // WHEN check reads it
  const r = check(dir);
  // THEN it reports the missing token for the DeploymentConfig
  expect(r.stdout).toMatch(/IWI-K3.*DeploymentConfig shop\/legacy|DeploymentConfig shop\/legacy.*IWI-K3/s);
  expect(r.status).toBe(1);
});

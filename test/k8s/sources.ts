// The same workload made by every kind of construct a cdk8s app may hold: a cdk8s-plus-27 and
// a cdk8s-plus-33 Deployment, L1 objects (cdk8s-plus's own `k8s` module, a plain ApiObject as
// `cdk8s import` output is), and YAML brought in with `Include` (what `Helm` builds on).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import * as kplus33 from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import { POD_TEMPLATE_PATHS } from '../../src/rules/workload-kinds';

export const IMAGE = { app: 'example/app:1.0', sidecar: 'example/sidecar:1.0', init: 'example/init:1.0', proxy: 'example/proxy:1.0' };

/** A pod spec with containers app and sidecar, init container init and, optionally, native sidecar proxy. */
export function rawPodSpec(nativeSidecar = true): any {
  return {
    containers: [
      { name: 'app', image: IMAGE.app, ports: [{ containerPort: 8080 }] },
      { name: 'sidecar', image: IMAGE.sidecar },
    ],
    initContainers: [
      { name: 'init', image: IMAGE.init },
      ...(nativeSidecar ? [{ name: 'proxy', image: IMAGE.proxy, restartPolicy: 'Always' }] : []),
    ],
  };
}

const SELECTOR = { matchLabels: { app: 'w' } };
const TEMPLATE_METADATA = { labels: { app: 'w' } };

/** The manifest body (no apiVersion/kind/metadata) of each kind with a pod template. */
export const KIND_BODIES: Readonly<Record<string, { apiVersion: string; body: () => any }>> = {
  Pod: { apiVersion: 'v1', body: () => ({ spec: rawPodSpec() }) },
  Deployment: { apiVersion: 'apps/v1', body: () => ({ spec: { selector: SELECTOR, template: { metadata: TEMPLATE_METADATA, spec: rawPodSpec() } } }) },
  StatefulSet: { apiVersion: 'apps/v1', body: () => ({ spec: { serviceName: 'w', selector: SELECTOR, template: { metadata: TEMPLATE_METADATA, spec: rawPodSpec() } } }) },
  DaemonSet: { apiVersion: 'apps/v1', body: () => ({ spec: { selector: SELECTOR, template: { metadata: TEMPLATE_METADATA, spec: rawPodSpec() } } }) },
  ReplicaSet: { apiVersion: 'apps/v1', body: () => ({ spec: { selector: SELECTOR, template: { metadata: TEMPLATE_METADATA, spec: rawPodSpec() } } }) },
  Job: { apiVersion: 'batch/v1', body: () => ({ spec: { template: { spec: { ...rawPodSpec(), restartPolicy: 'Never' } } } }) },
  CronJob: { apiVersion: 'batch/v1', body: () => ({ spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { ...rawPodSpec(), restartPolicy: 'Never' } } } } } }) },
  DeploymentConfig: { apiVersion: 'apps.openshift.io/v1', body: () => ({ spec: { replicas: 1, selector: { app: 'w' }, template: { metadata: TEMPLATE_METADATA, spec: rawPodSpec() } } }) },
};

/** The kinds the table knows that the binding is promised for (PodTemplate and ReplicationController aside). */
export const BINDABLE_KINDS = Object.keys(KIND_BODIES);
if (BINDABLE_KINDS.some((k) => !(k in POD_TEMPLATE_PATHS))) throw new Error('KIND_BODIES names a kind the table does not know');

/** A plain L1 `ApiObject` of `kind` named "w", as `cdk8s import` output renders one. */
export function l1Object(chart: Chart, kind: string, id = 'W'): ApiObject {
  const { apiVersion, body } = KIND_BODIES[kind];
  return new ApiObject(chart, id, { apiVersion, kind, metadata: { name: 'w' }, ...body() });
}

const tmp: string[] = [];
/** A YAML file holding `docs`, removed by `removeYamlFiles`. */
export function yamlFile(docs: readonly any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iks-wi-include-'));
  tmp.push(dir);
  const file = path.join(dir, 'manifest.yaml');
  fs.writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
  return file;
}
export function removeYamlFiles(): void {
  while (tmp.length > 0) fs.rmSync(tmp.pop()!, { recursive: true, force: true });
}

/** A Deployment "w" made by each source; returns what `bind` takes. */
export const DEPLOYMENT_SOURCES: ReadonlyArray<[string, (chart: Chart) => IConstruct]> = [
  ['a cdk8s-plus-27 Deployment', (chart) => new kplus27.Deployment(chart, 'W', {
    metadata: { name: 'w' },
    containers: [{ name: 'app', image: IMAGE.app, portNumber: 8080 }, { name: 'sidecar', image: IMAGE.sidecar }],
    initContainers: [{ name: 'init', image: IMAGE.init }],
  })],
  ['a cdk8s-plus-33 Deployment', (chart) => new kplus33.Deployment(chart, 'W', {
    metadata: { name: 'w' },
    containers: [{ name: 'app', image: IMAGE.app, portNumber: 8080 }, { name: 'sidecar', image: IMAGE.sidecar }],
    initContainers: [{ name: 'init', image: IMAGE.init }, { name: 'proxy', image: IMAGE.proxy, restartPolicy: kplus33.ContainerRestartPolicy.ALWAYS }],
  })],
  ['an L1 KubeDeployment of cdk8s-plus-33\'s k8s module', (chart) => new kplus33.k8s.KubeDeployment(chart, 'W', {
    metadata: { name: 'w' },
    spec: {
      selector: SELECTOR,
      template: {
        metadata: TEMPLATE_METADATA,
        spec: {
          containers: [{ name: 'app', image: IMAGE.app, ports: [{ containerPort: 8080 }] }, { name: 'sidecar', image: IMAGE.sidecar }],
          initContainers: [{ name: 'init', image: IMAGE.init }, { name: 'proxy', image: IMAGE.proxy, restartPolicy: 'Always' }],
        },
      },
    },
  })],
  ['a plain ApiObject (cdk8s import output)', (chart) => l1Object(chart, 'Deployment')],
  ['a Deployment of an Include\'d YAML file', (chart) => {
    const include = new Include(chart, 'Vendor', { url: yamlFile([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, ...KIND_BODIES.Deployment.body() }]) });
    return include.apiObjects[0];
  }],
];

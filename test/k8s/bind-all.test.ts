// Selecting the objects of an included file, a Helm chart's output or a chart in one call, and
// refusing calls that would bind nothing or something that runs no pods.
import { ApiObject, Include, Testing } from 'cdk8s';
import * as kplus27 from 'cdk8s-plus-27';
import { WorkloadIdentityBinding } from '../../src/k8s';
import { makeChart, makeIdentity, podSpec } from './helpers';
import { KIND_BODIES, l1Object, removeYamlFiles, yamlFile } from './sources';

afterAll(removeYamlFiles);

function doc(kind: string, name: string, labels: Record<string, string> = {}, namespace = 'shop'): any {
  const { apiVersion, body } = KIND_BODIES[kind];
  return { apiVersion, kind, metadata: { name, namespace, labels }, ...body() };
}

/** A vendored file: two Deployments, a Job, a StatefulSet in another namespace, a Service. */
function vendored(chart = makeChart('shop')): { chart: ReturnType<typeof makeChart>; include: Include } {
  const include = new Include(chart, 'Vendor', {
    url: yamlFile([
      doc('Deployment', 'api', { tier: 'web' }),
      doc('Deployment', 'worker', { tier: 'batch' }),
      doc('Job', 'migrate', { tier: 'batch' }),
      doc('StatefulSet', 'cache', {}, 'other'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
    ]),
  });
  return { chart, include };
}

/** `Kind/name` of each synthesized object whose pods run as "orders". */
function boundObjects(chart: ReturnType<typeof makeChart>): string[] {
  return Testing.synth(chart).filter((m: any) => podSpecOrUndefined(m)?.serviceAccountName === 'orders').map((m: any) => `${m.kind}/${m.metadata.name}`);
}
function podSpecOrUndefined(m: any): any {
  try {
    return podSpec(m);
  } catch {
    return undefined;
  }
}

describe('WorkloadIdentityBinding.bindAll on an Include', () => {
  test('selects by kind and name in one call', () => {
    // GIVEN an included file with Deployments api and worker, a Job and a StatefulSet
    const { chart, include } = vendored();
    // WHEN the Deployment named "api" is bound
    const bindings = WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { kind: 'Deployment', name: 'api' } });
    // THEN only it runs as the identity
    expect(bindings).toHaveLength(1);
    expect(boundObjects(chart)).toEqual(['Deployment/api']);
  });

  test('selects by label', () => {
    // GIVEN the included file, where worker and migrate carry tier=batch
    const { chart, include } = vendored();
    // WHEN objects labelled tier=batch are bound
    WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { labels: { tier: 'batch' } } });
    // THEN exactly those two run as the identity
    expect(boundObjects(chart).sort()).toEqual(['Deployment/worker', 'Job/migrate']);
  });

  test('selects several kinds and names at once', () => {
    // GIVEN the included file
    const { chart, include } = vendored();
    // WHEN Deployments and Jobs named api or migrate are bound
    WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { kind: ['Deployment', 'Job'], name: ['api', 'migrate'] } });
    // THEN those two are bound
    expect(boundObjects(chart).sort()).toEqual(['Deployment/api', 'Job/migrate']);
  });

  test('selects by namespace', () => {
    // GIVEN the included file, with one object in namespace "other"
    const { include } = vendored();
    // WHEN objects of namespace "other" are bound to an identity of "shop"
    const bindings = WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { namespace: 'other' } });
    // THEN only the StatefulSet is bound (and its namespace will fail validation, as any conflict)
    expect(bindings.map((b) => b.apiObject.name)).toEqual(['cache']);
    expect(bindings[0].apiObject.kind).toBe('StatefulSet');
  });

  test('without a selector binds every object with a pod template, and no Service', () => {
    // GIVEN the included file, minus the StatefulSet of another namespace
    const chart = makeChart('shop');
    const include = new Include(chart, 'Vendor', {
      url: yamlFile([doc('Deployment', 'api'), doc('Job', 'migrate'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { ports: [{ port: 80 }] } }]),
    });
    // WHEN everything is bound
    const bindings = WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity() });
    // THEN the Deployment and the Job are bound, the Service untouched
    expect(bindings.map((b) => b.apiObject.kind).sort()).toEqual(['Deployment', 'Job']);
    expect(Testing.synth(chart).find((m: any) => m.kind === 'Service').spec).toEqual({ ports: [{ port: 80 }] });
  });

  test('binding nothing is an error that lists what there was', () => {
    // GIVEN the included file
    const { include } = vendored();
    // WHEN a Deployment named "external-secrets", which it does not hold, is selected
    // THEN the call fails naming the selector and the objects it holds
    expect(() => WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { kind: 'Deployment', name: 'external-secrets' } }))
      .toThrow(/WorkloadIdentity "orders": bindAll on "test\/Vendor" matched nothing with select \{"kind":"Deployment","name":"external-secrets"\}; it holds Deployment shop\/api, Deployment shop\/worker, Job shop\/migrate, StatefulSet other\/cache\. Fix the selector/);
  });

  test('a file without any pod is an error too', () => {
    // GIVEN an included file of a ConfigMap only
    const chart = makeChart('shop');
    const include = new Include(chart, 'Vendor', { url: yamlFile([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }]) });
    // WHEN everything is bound THEN it fails saying there is no object with a pod template
    expect(() => WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity() })).toThrow(/matched nothing .*it holds no object with a pod template/);
  });

  test('a kind that runs no pods is refused in the selector', () => {
    // GIVEN the included file
    const { include } = vendored();
    // WHEN the Service is selected THEN the selector is refused, naming the kinds that have pods
    expect(() => WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { kind: 'Service' } }))
      .toThrow(/select\.kind is "Service", which has no pod template; use one of Pod, .*DeploymentConfig/);
  });

  test('an empty name list is refused rather than matching nothing', () => {
    // GIVEN the included file
    const { include } = vendored();
    // WHEN the name list is empty THEN the selector is refused
    expect(() => WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { name: [] } }))
      .toThrow(/select\.name is an empty list, which matches nothing/);
  });

  test('WorkloadIdentityBinding.of finds the binding of an included object', () => {
    // GIVEN the included file with "api" bound
    const { include } = vendored();
    const [binding] = WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { name: 'api' } });
    // WHEN the bindings of api and worker are looked up
    const api = include.apiObjects.find((o) => o.name === 'api')!;
    const worker = include.apiObjects.find((o) => o.name === 'worker')!;
    // THEN api has that binding and worker none
    expect(WorkloadIdentityBinding.of(api)).toBe(binding);
    expect(WorkloadIdentityBinding.of(worker)).toBeUndefined();
  });
});

describe('WorkloadIdentityBinding.bindAll on a chart', () => {
  test('finds objects of every source in the construct tree', () => {
    // GIVEN a chart with a cdk8s-plus-27 Deployment, an L1 Job and an included CronJob
    const chart = makeChart('shop');
    new kplus27.Deployment(chart, 'Plus', { metadata: { name: 'plus' }, containers: [{ image: 'example/app:1.0' }] });
    l1Object(chart, 'Job', 'L1');
    new Include(chart, 'Vendor', { url: yamlFile([doc('CronJob', 'nightly')]) });
    // WHEN everything in the chart is bound
    WorkloadIdentityBinding.bindAll(chart, { identity: makeIdentity() });
    // THEN all three run as the identity
    expect(boundObjects(chart).sort()).toEqual(['CronJob/nightly', 'Deployment/plus', 'Job/w']);
  });

  test('a cdk8s-plus workload found in the tree keeps its binding under the workload', () => {
    // GIVEN a chart with a cdk8s-plus-27 Deployment
    const chart = makeChart('shop');
    const d = new kplus27.Deployment(chart, 'Plus', { containers: [{ image: 'example/app:1.0' }] });
    // WHEN the chart is bound by kind
    const [binding] = WorkloadIdentityBinding.bindAll(chart, { identity: makeIdentity(), select: { kind: 'Deployment' } });
    // THEN the workload's binding is that one, at the path bind would give it
    expect(WorkloadIdentityBinding.of(d)).toBe(binding);
    expect(binding.node.path).toBe('test/Plus/WorkloadIdentityBinding');
  });

  test('an object bound already is refused, naming both identities', () => {
    // GIVEN a chart whose L1 Job is bound to "orders"
    const chart = makeChart('shop');
    WorkloadIdentityBinding.bind(l1Object(chart, 'Job'), { identity: makeIdentity() });
    // WHEN the chart is bound to "billing" THEN the error names the object and "orders"
    expect(() => WorkloadIdentityBinding.bindAll(chart, { identity: makeIdentity({ name: 'billing' }) }))
      .toThrow(/WorkloadIdentity "billing": workload "test\/W" already has identity "orders"/);
  });
});

describe('WorkloadIdentityBinding.bind refuses what it cannot bind', () => {
  test('an Include, pointing at bindAll', () => {
    // GIVEN an included file with two Deployments
    const { include } = vendored();
    // WHEN the Include itself is bound THEN the error lists its workloads and names bindAll
    expect(() => WorkloadIdentityBinding.bind(include, { identity: makeIdentity() }))
      .toThrow(/WorkloadIdentityBinding on "test\/Vendor": it is not a Kubernetes object; it holds 4 object\(s\) with a pod template \(Deployment shop\/api, .*\); bind them with WorkloadIdentityBinding\.bindAll/);
  });

  test('an object without a pod template', () => {
    // GIVEN an L1 Service
    const chart = makeChart('shop');
    const service = new ApiObject(chart, 'Svc', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } });
    // WHEN it is bound THEN the error says a Service has no pod template
    expect(() => WorkloadIdentityBinding.bind(service, { identity: makeIdentity() }))
      .toThrow('WorkloadIdentityBinding on "test/Svc": a v1 Service has no pod template to give an identity to');
  });

  test('a custom resource that reuses the kind name Deployment', () => {
    // GIVEN a "Deployment" of another API group, whose template is not a pod's
    const chart = makeChart('shop');
    const custom = new ApiObject(chart, 'Custom', { apiVersion: 'deploy.example.com/v1', kind: 'Deployment', spec: { template: { spec: {} } } });
    // WHEN it is bound THEN it is refused: its group is not apps
    expect(() => WorkloadIdentityBinding.bind(custom, { identity: makeIdentity() }))
      .toThrow(/a deploy\.example\.com\/v1 Deployment has no pod template/);
  });
});

test('an included object is rendered the same on a second synthesis', () => {
  // GIVEN an included Deployment bound to "orders"
  const { chart, include } = vendored();
  WorkloadIdentityBinding.bindAll(include, { identity: makeIdentity(), select: { name: 'api' } });
  // WHEN the chart is synthesized twice
  const first = Testing.synth(chart);
  const second = Testing.synth(chart);
  // THEN both are equal, with one token volume: the binding never changes the included object itself
  expect(second).toEqual(first);
  const api = second.find((m: any) => m.metadata.name === 'api' && m.kind === 'Deployment');
  expect(podSpec(api).volumes.filter((v: any) => v.name === 'sa-token')).toHaveLength(1);
});

test('bindAll without a WorkloadIdentity throws, naming the scope', () => {
  // GIVEN an included file
  const { include } = vendored();
  // WHEN it is bound to a plain object THEN the error names the scope and the prop
  expect(() => WorkloadIdentityBinding.bindAll(include, { identity: {} as any }))
    .toThrow('WorkloadIdentityBinding.bindAll on "test/Vendor": props.identity must be a WorkloadIdentity');
});

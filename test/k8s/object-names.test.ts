// Two objects of one kind, namespace and name in one cdk8s app would overwrite each other when
// applied; synthesis validation refuses them, naming both constructs (src/k8s/object-names.ts).
import { App, Chart } from 'cdk8s';
import { TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import { makeIdentity } from './helpers';

const containers = [{ name: 'app', image: 'icr.io/shop/orders:1.0.0' }];

describe('objects with one kind, namespace and name', () => {
  test('two Deployments of one identity for two service accounts in one namespace fail synthesis, naming both', () => {
    // GIVEN an identity trusting two service accounts in namespace shop, and a Deployment for each
    const identity = makeIdentity({ additionalServiceAccounts: [{ namespace: 'shop', name: 'orders-worker' }] });
    const app = new App();
    const chart = new Chart(app, 'shop');
    new WorkloadIdentityDeployment(chart, 'Api', { identity, containers });
    new WorkloadIdentityDeployment(chart, 'Worker', { identity, containers, serviceAccount: { namespace: 'shop', name: 'orders-worker' } });
    // WHEN the app is synthesized
    // THEN validation fails naming both constructs and the object
    expect(() => app.synthYaml()).toThrow(/"shop\/Worker" emits Deployment shop\/orders, which "shop\/Api" emits already/);
  });

  test('two token-fetch Jobs of two identities\' charts collide across charts of one app', () => {
    // GIVEN the same identity's Job in two charts of one app, both in namespace shop
    const identity = makeIdentity();
    const app = new App();
    new TokenFetchJob(new Chart(app, 'one'), 'Fetch', { identity });
    new TokenFetchJob(new Chart(app, 'two'), 'Fetch', { identity });
    // WHEN the app is synthesized THEN the second Job is refused, naming the first
    expect(() => app.synthYaml()).toThrow(/"two\/Fetch" emits Job shop\/orders-token-fetch, which "one\/Fetch" emits already/);
  });

  test('a ServiceAccount repeated for the same trusted account fails synthesis', () => {
    // GIVEN two WorkloadIdentityServiceAccounts for one identity in one chart
    const identity = makeIdentity();
    const app = new App();
    const chart = new Chart(app, 'shop');
    new WorkloadIdentityServiceAccount(chart, 'Sa1', { identity });
    new WorkloadIdentityServiceAccount(chart, 'Sa2', { identity });
    // WHEN the app is synthesized THEN it fails naming ServiceAccount shop/orders
    expect(() => app.synthYaml()).toThrow(/emits ServiceAccount shop\/orders/);
  });

  test('different names, kinds or namespaces synthesize', () => {
    // GIVEN a Deployment and a Job for each of two service accounts, the second pair named explicitly
    const identity = makeIdentity({ additionalServiceAccounts: [{ namespace: 'shop', name: 'orders-worker' }] });
    const worker = { namespace: 'shop', name: 'orders-worker' };
    const app = new App();
    const chart = new Chart(app, 'shop');
    new WorkloadIdentityDeployment(chart, 'Api', { identity, containers });
    new WorkloadIdentityDeployment(chart, 'Worker', { identity, containers, serviceAccount: worker, metadata: { name: 'orders-worker' } });
    new TokenFetchJob(chart, 'ApiFetch', { identity });
    new TokenFetchJob(chart, 'WorkerFetch', { identity, serviceAccount: worker, name: 'orders-worker-token-fetch' });
    // WHEN the app is synthesized THEN it succeeds with four objects
    expect(app.synthYaml().match(/^kind: /gm)).toHaveLength(4);
  });

  test('separate apps do not see each other\'s objects', () => {
    // GIVEN the same Deployment in two apps (the platform example synthesizes an App per namespace)
    const identity = makeIdentity();
    const apps = [new App(), new App()];
    for (const app of apps) new WorkloadIdentityDeployment(new Chart(app, 'shop'), 'Api', { identity, containers });
    // WHEN both are synthesized THEN neither fails
    for (const app of apps) expect(() => app.synthYaml()).not.toThrow();
  });
});

// A profile trusted by several service accounts: each workload runs as one of them.
import { TokenFetchJob, WorkloadIdentityDeployment, WorkloadIdentityServiceAccount } from '../../src/k8s';
import { makeChart, makeIdentity, manifestOf, podSpec } from './helpers';

const identity = () => makeIdentity({ additionalServiceAccounts: [{ namespace: 'shop-canary' }] });
const APP = { name: 'app', image: 'icr.io/shop/orders:1.0.0' };

describe('a workload of an identity with several service accounts', () => {
  test('runs as the primary service account by default', () => {
    // GIVEN an identity trusted in "shop" and "shop-canary"
    const chart = makeChart();
    // WHEN a Deployment is declared without choosing
    new WorkloadIdentityDeployment(chart, 'D', { identity: identity(), containers: [APP] });
    // THEN it runs as shop/orders
    const d = manifestOf(chart, 'Deployment');
    expect([d.metadata.namespace, podSpec(d).serviceAccountName]).toEqual(['shop', 'orders']);
  });

  test('runs as the chosen additional service account, in its namespace', () => {
    // GIVEN the same identity
    const chart = makeChart();
    // WHEN the Deployment, its service account and the Job choose shop-canary
    const serviceAccount = { namespace: 'shop-canary' };
    new WorkloadIdentityServiceAccount(chart, 'SA', { identity: identity(), serviceAccount });
    new WorkloadIdentityDeployment(chart, 'D', { identity: identity(), containers: [APP], serviceAccount });
    new TokenFetchJob(chart, 'J', { identity: identity(), serviceAccount });
    // THEN all three are in shop-canary and the pods run as its service account
    expect(manifestOf(chart, 'ServiceAccount').metadata).toMatchObject({ name: 'orders', namespace: 'shop-canary' });
    for (const kind of ['Deployment', 'Job']) {
      const m = manifestOf(chart, kind);
      expect([m.metadata.namespace, podSpec(m).serviceAccountName]).toEqual(['shop-canary', 'orders']);
    }
  });

  test('refuses a service account the profile does not trust, listing the trusted ones', () => {
    // GIVEN the same identity
    const chart = makeChart();
    // WHEN a Deployment chooses a service account outside the identity
    // THEN it throws naming the account and the trusted ones
    expect(() => new WorkloadIdentityDeployment(chart, 'D', { identity: identity(), containers: [APP], serviceAccount: { namespace: 'other' } }))
      .toThrow('serviceAccount is "other/orders", which the profile does not trust (it trusts shop/orders, shop-canary/orders)');
  });
});

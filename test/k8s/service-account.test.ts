import { WorkloadIdentityServiceAccount } from '../../src/k8s';
import { makeChart, makeIdentity, manifestOf } from './helpers';

describe('WorkloadIdentityServiceAccount', () => {
  test('is named after the identity when the identity names no service account', () => {
    // GIVEN an identity "orders" whose service account has no explicit name
    const chart = makeChart();
    // WHEN its service account is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity: makeIdentity() });
    // THEN the ServiceAccount is called "orders"
    expect(manifestOf(chart, 'ServiceAccount').metadata.name).toBe('orders');
  });

  test('takes the explicit service-account name from the identity', () => {
    // GIVEN an identity whose service account is "orders-runner"
    const chart = makeChart();
    const identity = makeIdentity({ serviceAccount: { namespace: 'shop', name: 'orders-runner' } });
    // WHEN its service account is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity });
    // THEN the ServiceAccount carries that name
    expect(manifestOf(chart, 'ServiceAccount').metadata.name).toBe('orders-runner');
  });

  test('is placed in the identity namespace even when the chart defaults to another', () => {
    // GIVEN a chart whose default namespace is "elsewhere"
    const chart = makeChart('elsewhere');
    // WHEN the service account of an identity in "shop" is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity: makeIdentity() });
    // THEN the ServiceAccount is in "shop"
    expect(manifestOf(chart, 'ServiceAccount').metadata.namespace).toBe('shop');
  });

  test('does not automount an API-server token', () => {
    // GIVEN an identity
    const chart = makeChart();
    // WHEN its service account is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity: makeIdentity() });
    // THEN automountServiceAccountToken is false
    expect(manifestOf(chart, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('is annotated with the trusted profile name', () => {
    // GIVEN an identity whose trusted profile is called "orders-prod"
    const chart = makeChart();
    const identity = makeIdentity({ profileName: 'orders-prod' });
    // WHEN its service account is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity });
    // THEN the profile-name annotation says so
    expect(manifestOf(chart, 'ServiceAccount').metadata.annotations).toEqual({ 'iks-workload-identity/profile-name': 'orders-prod' });
  });

  test('is labelled as managed by iks-workload-identity', () => {
    // GIVEN an identity
    const chart = makeChart();
    // WHEN its service account is declared
    new WorkloadIdentityServiceAccount(chart, 'Sa', { identity: makeIdentity() });
    // THEN the managed-by label is set
    expect(manifestOf(chart, 'ServiceAccount').metadata.labels['app.kubernetes.io/managed-by']).toBe('iks-workload-identity');
  });

  test('refuses props without a WorkloadIdentity, naming the construct', () => {
    // GIVEN props whose identity is a plain object
    const chart = makeChart();
    // WHEN the service account is declared THEN it throws naming the construct id and the prop
    expect(() => new WorkloadIdentityServiceAccount(chart, 'Sa', { identity: { name: 'orders' } as any }))
      .toThrow('WorkloadIdentityServiceAccount "Sa": props.identity must be a WorkloadIdentity');
  });
});

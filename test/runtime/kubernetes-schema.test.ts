// Every object the Kubernetes side synthesizes, validated against the upstream Kubernetes
// OpenAPI schema (kubernetes-models 4.5), the way the API server would type-check it.
import { App } from 'cdk8s';
import { ClusterKind, IamEndpoint, WorkloadIdentityProps } from '../../src';
import { buildChart } from '../../examples/k8s/main';
import { kubernetesSchemaErrors } from '../support/kubernetes-schema';
import { IKS_CRN, paymentsIdentity, ROKS_CRN, synthEveryWorkload, tokenFetchJobManifest } from '../support/synth';

describe('the Kubernetes schema check', () => {
  test('reports a manifest that breaks the schema, with the field', () => {
    // GIVEN a Job whose projected token lifetime is a string
    const job = tokenFetchJobManifest(paymentsIdentity());
    job.spec.template.spec.volumes.find((v: any) => v.projected).projected.sources[0].serviceAccountToken.expirationSeconds = '3600';

    // WHEN it is validated
    // THEN the error names the field and the rule
    expect(kubernetesSchemaErrors([job])).toEqual([
      expect.stringMatching(/^batch\/v1\/Job payments-api-token-fetch: .*serviceAccountToken\/expirationSeconds must be integer/),
    ]);
  });

  test('reports a kind it has no model for, rather than passing it', () => {
    // GIVEN an Ingress, which the check does not know
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } };

    // WHEN it is validated
    // THEN it is reported
    expect(kubernetesSchemaErrors([ingress])).toEqual([expect.stringContaining('no kubernetes-models class')]);
  });
});

describe('synthesized manifests', () => {
  test('the embedded example chart validates, object by object', () => {
    // GIVEN the example's chart (ServiceAccount, Deployment, token-fetch Job)
    const manifests = buildChart(new App()).toJson();

    // WHEN each object is validated
    // THEN all are valid
    expect(manifests.map((m: any) => m.kind).sort()).toEqual(['Deployment', 'Job', 'ServiceAccount']);
    expect(kubernetesSchemaErrors(manifests)).toEqual([]);
  });

  const variants: Array<[string, Partial<WorkloadIdentityProps>]> = [
    ['on IKS, public endpoint', {}],
    ['on ROKS, private endpoint', { clusters: [{ kind: ClusterKind.ROKS, crn: ROKS_CRN }], iamEndpoint: IamEndpoint.PRIVATE }],
    ['with a custom token lifetime, path and several SDK services', {
      token: { expirationSeconds: 600, mountPath: '/etc/ibm/token', fileName: 'cr-token' },
      sdkServices: ['secrets_manager', 'cloud-object-storage', 'iam_identity'],
      iamEndpoint: IamEndpoint.privateRegional('eu-de'),
    }],
    ['on IKS and ROKS with a looked-up cluster', {
      clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.IKS, lookup: { nameOrId: 'prod-eu' } }],
      serviceAccount: { namespace: 'payments', name: 'payments.api-runner' },
    }],
  ];

  test.each(variants)('every workload kind, the ServiceAccount and the token-fetch Job validate: %s', (_, overrides) => {
    // GIVEN the identity bound to a Deployment, StatefulSet, DaemonSet, Job, CronJob and Pod
    const manifests = synthEveryWorkload(paymentsIdentity(overrides));

    // WHEN each object is validated
    // THEN all are valid, and every kind was there to validate
    expect(new Set(manifests.map((m) => m.kind))).toEqual(new Set(['ServiceAccount', 'Deployment', 'StatefulSet', 'Service', 'DaemonSet', 'Job', 'CronJob', 'Pod']));
    expect(kubernetesSchemaErrors(manifests)).toEqual([]);
  });
});

// Every object the Kubernetes side synthesizes, validated against the upstream Kubernetes
// OpenAPI schema (kubernetes-models 4.5), the way the API server would type-check it.
import * as path from 'path';
import { App, Chart, Include, Testing } from 'cdk8s';
import { PodTemplate } from 'kubernetes-models/v1/PodTemplate';
import { ClusterKind, IamEndpoint, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import { ExternalSecretsOperator, externalSecretsIdentity, WorkloadIdentityBinding } from '../../src/k8s';
import { buildChart } from '../../examples/k8s/main';
import { kubernetesSchemaErrors } from '../support/kubernetes-schema';
import { IKS_CRN, paymentsIdentity, ROKS_CRN, synthEveryWorkload, tokenFetchJobManifest } from '../support/synth';
import { BINDABLE_KINDS, DEPLOYMENT_SOURCES, l1Object, removeYamlFiles } from '../k8s/sources';

afterAll(removeYamlFiles);

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

describe('every kind the binding takes, from every source', () => {
  // DeploymentConfig (apps.openshift.io) has no kubernetes-models class: its pod template is a
  // core PodTemplateSpec, validated as the template of a v1 PodTemplate.
  function schemaErrors(manifests: readonly any[]): string[] {
    return manifests.flatMap((m) => {
      if (m.kind !== 'DeploymentConfig') return kubernetesSchemaErrors([m]);
      try {
        new PodTemplate({ metadata: { name: m.metadata.name }, template: JSON.parse(JSON.stringify(m.spec.template)) }).validate();
        return [];
      } catch (e) {
        return [`DeploymentConfig ${m.metadata.name}: ${(e as Error).message}`];
      }
    });
  }

  test.each(BINDABLE_KINDS)('a bound L1 %s with a native sidecar validates', (kind) => {
    // GIVEN an L1 object of this kind, bound to the identity
    const chart = new Chart(Testing.app(), 'test', { namespace: 'payments' });
    WorkloadIdentityBinding.bind(l1Object(chart, kind), { identity: paymentsIdentity() });
    const manifests = Testing.synth(chart);
    // WHEN it is validated
    // THEN it is valid, and it is the kind asked for
    expect(manifests.map((m: any) => m.kind)).toEqual([kind]);
    expect(schemaErrors(manifests)).toEqual([]);
  });

  test('the schema check of a DeploymentConfig can fail', () => {
    // GIVEN a bound DeploymentConfig whose token volume lifetime is a string
    const chart = new Chart(Testing.app(), 'test', { namespace: 'payments' });
    WorkloadIdentityBinding.bind(l1Object(chart, 'DeploymentConfig'), { identity: paymentsIdentity() });
    const [dc] = Testing.synth(chart);
    dc.spec.template.spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds = '3600';
    // WHEN it is validated THEN the field is reported
    expect(schemaErrors([dc])).toEqual([expect.stringMatching(/^DeploymentConfig w: .*expirationSeconds must be integer/)]);
  });

  test.each(DEPLOYMENT_SOURCES)('a bound Deployment made by %s validates', (_, create) => {
    // GIVEN the Deployment of this source, bound to the identity
    const chart = new Chart(Testing.app(), 'test', { namespace: 'payments' });
    WorkloadIdentityBinding.bind(create(chart), { identity: paymentsIdentity() });
    // WHEN it is validated THEN it is valid
    expect(schemaErrors(Testing.synth(chart).filter((m: any) => m.kind === 'Deployment'))).toEqual([]);
  });

  test('ESO\'s included controller and webhook, bound, validate', () => {
    // GIVEN the ESO excerpt included and bound to ESO's identity
    const chart = new Chart(Testing.app(), 'eso');
    const identity = new WorkloadIdentity(externalSecretsIdentity({ clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }], secretsManagerInstance: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' }));
    ExternalSecretsOperator.bind(new Include(chart, 'Eso', { url: path.join(__dirname, '..', 'fixtures', 'eso', 'eso-excerpt.yaml') }), { identity });
    const manifests = Testing.synth(chart);
    // WHEN every object is validated THEN all are valid
    expect(manifests.filter((m: any) => m.kind === 'Deployment')).toHaveLength(3);
    expect(schemaErrors(manifests)).toEqual([]);
  });
});

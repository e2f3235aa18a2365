// Synthesis helpers for the runtime tests: both sides of one declaration, as the files a user
// would get, and readers of the synthesized Job and Deployment.
import { Chart, Cron, Testing as K8sTesting } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { TerraformStack, Testing as TfTesting } from 'cdktf';
import { ClusterKind, WorkloadIdentity, WorkloadIdentityProps } from '../../src';
import {
  TokenFetchJob,
  TokenFetchJobProps,
  WorkloadIdentityBinding,
  WorkloadIdentityDeployment,
  WorkloadIdentityServiceAccount,
} from '../../src/k8s';
import { ibm, WorkloadIdentityProfile } from '../../src/terraform';

export const IKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:cq5l0v8d0h4b7f3kq2pg::';
export const ROKS_CRN = 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:cr7m1w9e1i5c8g4lr3qh::';

/** `payments-api` in namespace `payments` on one IKS cluster, used by the Secrets Manager SDK. */
export function paymentsIdentity(overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentity {
  return new WorkloadIdentity({
    name: 'payments-api',
    serviceAccount: { namespace: 'payments' },
    clusters: [{ kind: ClusterKind.IKS, crn: IKS_CRN }],
    sdkServices: ['secrets_manager'],
    ...overrides,
  });
}

/** The manifests of a chart (in `namespace`) that `build` fills, as `cdk8s synth` would write them. */
export function synthChart(build: (chart: Chart) => void, namespace?: string): any[] {
  const chart = new Chart(K8sTesting.app(), 'test', namespace === undefined ? {} : { namespace });
  build(chart);
  return K8sTesting.synth(chart);
}

/** The manifests of what a user deploys for `identity`: ServiceAccount, Deployment, Job. */
export function synthKubernetes(identity: WorkloadIdentity, job: Partial<TokenFetchJobProps> = {}): any[] {
  return synthChart((chart) => {
    new WorkloadIdentityServiceAccount(chart, 'ServiceAccount', { identity });
    new WorkloadIdentityDeployment(chart, 'Deployment', {
      identity,
      containers: [{ name: 'app', image: 'icr.io/payments/payments-api:1.4.2', portNumber: 8080 }],
    });
    new TokenFetchJob(chart, 'TokenFetch', { identity, ...job });
  }, identity.serviceAccount.namespace);
}

/**
 * The identity on every workload kind the binding supports (Deployment with an init container,
 * StatefulSet, DaemonSet, Job, CronJob, Pod), plus its ServiceAccount and token-fetch Job.
 */
export function synthEveryWorkload(identity: WorkloadIdentity, options: { hardenPodSecurity?: boolean } = {}): any[] {
  return synthChart((chart) => {
    new WorkloadIdentityServiceAccount(chart, 'ServiceAccount', { identity });
    const containers = [{ name: 'app', image: 'icr.io/payments/app:1.0.0', portNumber: 8080 }];
    const deployment = new kplus.Deployment(chart, 'Deployment', { containers });
    deployment.addInitContainer({ name: 'migrate', image: 'icr.io/payments/migrate:1.0.0' });
    const workloads = [
      deployment,
      new kplus.StatefulSet(chart, 'StatefulSet', { containers }),
      new kplus.DaemonSet(chart, 'DaemonSet', { containers }),
      new kplus.Job(chart, 'Job', { containers }),
      new kplus.CronJob(chart, 'CronJob', { schedule: Cron.daily(), containers }),
      new kplus.Pod(chart, 'Pod', { containers }),
    ];
    for (const w of workloads) WorkloadIdentityBinding.bind(w, { identity, ...options });
    new TokenFetchJob(chart, 'TokenFetch', { identity });
  }, identity.serviceAccount.namespace);
}

/** The stack's cdk.tf.json text: the provider and the identity's profile. */
export function synthTerraform(identity: WorkloadIdentity): string {
  const stack = new TerraformStack(TfTesting.app(), 'stack');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  new WorkloadIdentityProfile(stack, identity.name, { identity });
  return TfTesting.synth(stack);
}

export function only(manifests: readonly any[], kind: string): any {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/** The token-fetch Job's manifest for `identity`. */
export function tokenFetchJobManifest(identity: WorkloadIdentity, props: Partial<TokenFetchJobProps> = {}): any {
  return only(synthChart((chart) => new TokenFetchJob(chart, 'TokenFetch', { identity, ...props }), identity.serviceAccount.namespace), 'Job');
}

/** The Deployment's manifest for `identity`, with one container `app`. */
export function deploymentManifest(identity: WorkloadIdentity): any {
  return only(synthChart((chart) => new WorkloadIdentityDeployment(chart, 'Deployment', {
    identity,
    containers: [{ name: 'app', image: 'icr.io/payments/payments-api:1.4.2' }],
  }), identity.serviceAccount.namespace), 'Deployment');
}

/** A container's env as an ordered list of [name, value]; fails on `valueFrom` entries. */
export function envList(container: any): Array<[string, string]> {
  return (container.env ?? []).map((e: any) => {
    if (typeof e.value !== 'string') throw new Error(`env ${e.name} has no literal value`);
    return [e.name, e.value] as [string, string];
  });
}

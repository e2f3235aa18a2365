// A platform repo's app, as a consumer of the packed library writes it: the identity from the
// root entry point, a cdk8s chart from `/k8s` and a cdktf stack from `/terraform`, synthesized
// into the folder named by the first argument. test/package/consumer.test.ts compiles it in a
// scratch project (strict, three module resolutions) against the installed tarball and runs it.
import * as path from 'path';
import { App as K8sApp, Chart } from 'cdk8s';
import { App as TerraformApp, TerraformStack } from 'cdktf';
import {
  AccessPolicies,
  ClusterKind,
  ServiceRole,
  WorkloadIdentity,
  WorkloadIdentityProps,
} from 'iks-workload-identity';
import {
  TokenFetchJob,
  WorkloadIdentityDeployment,
  WorkloadIdentityServiceAccount,
  checkPodSecurityRestricted,
} from 'iks-workload-identity/k8s';
import { ibm, WorkloadIdentityProfile } from 'iks-workload-identity/terraform';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: node app.js <outdir>');

const props: WorkloadIdentityProps = {
  name: 'payments-api',
  serviceAccount: { namespace: 'payments' },
  clusters: [
    { kind: ClusterKind.IKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:us-south:a/0123456789abcdef0123456789abcdef:c0ffee00cluster01::' },
  ],
  policies: [
    ...AccessPolicies.secretsManagerRead({ instance: '5a4e5e2c-8f3b-4d8e-9c51-2b7f0e6d1a93' }),
    { name: 'read-reports', roles: [ServiceRole.READER], resources: { service: 'cloud-object-storage', resourceInstanceId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' } },
  ],
  sdkServices: ['secrets_manager'],
};
export const identity = new WorkloadIdentity(props);

// The types are real, not `any`: a wrongly typed prop does not compile.
// @ts-expect-error expirationSeconds is a number
export const badToken: WorkloadIdentityProps = { ...props, token: { expirationSeconds: '3600' } };

const k8sApp = new K8sApp({ outdir: path.join(outdir, 'k8s') });
const chart = new Chart(k8sApp, 'payments-api');
new WorkloadIdentityServiceAccount(chart, 'ServiceAccount', { identity });
new WorkloadIdentityDeployment(chart, 'Deployment', {
  identity,
  replicas: 2,
  containers: [{ name: 'app', image: 'icr.io/payments/payments-api:1.4.2', portNumber: 8080 }],
});
new TokenFetchJob(chart, 'TokenFetch', { identity });
const violations = checkPodSecurityRestricted(chart.toJson());
if (violations.length > 0) throw new Error(`Pod Security: ${JSON.stringify(violations)}`);
k8sApp.synth();

const terraformApp = new TerraformApp({ outdir: path.join(outdir, 'terraform') });
const stack = new TerraformStack(terraformApp, 'payments-api');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
const profile = new WorkloadIdentityProfile(stack, 'payments-api', { identity });
export const profileIamId: string = profile.profileIamId;
terraformApp.synth();

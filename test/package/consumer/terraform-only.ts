// A Terraform-only platform repo: cdktf and constructs installed, no cdk8s (and no @types/node).
// It imports the root and `/terraform` entry points only, and synthesizes into cdktf.out.
import { App, TerraformStack } from 'cdktf';
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';
import { ibm, WorkloadIdentityProfile } from 'iks-workload-identity/terraform';

const identity = new WorkloadIdentity({
  name: 'reports-job',
  serviceAccount: { namespace: 'reports' },
  clusters: [{ kind: ClusterKind.ROKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:c0ffee00cluster02::' }],
});

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'reports-job');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'eu-de' });
new WorkloadIdentityProfile(stack, 'reports-job', { identity, outputs: false });
app.synth();

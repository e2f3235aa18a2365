// A CDK Terrain platform repo: cdktn and constructs installed, no cdktf, no cdk8s (and no
// @types/node). The same app as terraform-only.ts, imported from `/cdktn`, plus the same
// identity as a module for a plain HCL root; synthesized with `app.synth()` on Node 20, without
// cdktn-cli.
import { App, TerraformStack } from 'cdktn';
import { ClusterKind, WorkloadIdentity } from 'iks-workload-identity';
import { ibm, WorkloadIdentityModule, WorkloadIdentityProfile } from 'iks-workload-identity/cdktn';

const identity = new WorkloadIdentity({
  name: 'reports-job',
  serviceAccount: { namespace: 'reports' },
  clusters: [{ kind: ClusterKind.ROKS, crn: 'crn:v1:bluemix:public:containers-kubernetes:eu-de:a/0123456789abcdef0123456789abcdef:c0ffee00cluster02::' }],
});

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'reports-job');
new ibm.provider.IbmProvider(stack, 'ibm', { region: 'eu-de' });
new WorkloadIdentityProfile(stack, 'reports-job', { identity, outputs: false });
new WorkloadIdentityModule(app, 'workload-identities', { identities: [identity] });
app.synth();

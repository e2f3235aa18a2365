// The Terraform side: the trusted profile, its claim rule and its Secrets Manager read policy.
//   node build/examples/eso/terraform.js [outdir]   (default cdktf.out/eso)
import { App, TerraformStack } from 'cdktf';
import { ibm, WorkloadIdentityProfile } from 'iks-workload-identity/terraform';
import { externalSecrets } from './identity';

export function buildStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'external-secrets');
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  new WorkloadIdentityProfile(stack, 'external-secrets', { identity: externalSecrets });
  return stack;
}

if (require.main === module) {
  const app = new App({ outdir: process.argv[2] ?? 'cdktf.out/eso' });
  buildStack(app);
  app.synth();
}

// The Terraform app of the example: one stack holding the payments API's trusted profile.
// `npm run synth` writes cdktf.out/stacks/payments-api/cdk.tf.json (through examples/synth.ts,
// atomically); `cdktf synth` runs this file as cdktf.json says and writes the same file.
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { WorkloadIdentityProfile, ibm } from 'iks-workload-identity/terraform';
import { paymentsApi } from '../identity';

export function buildStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'payments-api');

  // Terraform runs in cdktf.out/stacks/payments-api, which every synth rewrites: keep the state
  // in the project folder, by a relative path so the synthesized JSON names no machine's paths.
  // A platform repo would use a remote backend (e.g. S3Backend on IBM Cloud Object Storage).
  new LocalBackend(stack, { path: '../../../terraform.payments-api.tfstate' });

  // No credentials in code: the IBM provider reads the API key from IC_API_KEY (or
  // IBMCLOUD_API_KEY) in the environment of `terraform plan/apply`.
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });

  new WorkloadIdentityProfile(stack, 'payments-api', { identity: paymentsApi });
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildStack(app);
  app.synth();
}

// The platform repo's cdktf app: one stack with every identity's trusted profile, trust and
// policies (cdktf.out/platform/stacks/platform-identities/cdk.tf.json).
//
//   node build/examples/platform/terraform.js [declarations file] [output dir]
import * as fs from 'fs';
import { App, TerraformStack } from 'cdktf';
import { ibm, WorkloadIdentityProfile } from 'iks-workload-identity/terraform';
import { defaultDeclarationsFile, loadDeclarations, PlatformIdentity } from './declarations';

export const STACK_NAME = 'platform-identities';

/** Adds the stack with the IBM provider and one `WorkloadIdentityProfile` per identity. */
export function buildStack(app: App, declarations: readonly PlatformIdentity[]): TerraformStack {
  const stack = new TerraformStack(app, STACK_NAME);
  // Credentials come from IC_API_KEY in the environment of `terraform plan/apply`. A platform
  // repo keeps its state remote, e.g. with S3Backend on IBM Cloud Object Storage.
  new ibm.provider.IbmProvider(stack, 'ibm', { region: 'us-south' });
  for (const { identity } of declarations) {
    // Pods select their profile by name, so no output is needed to wire the two sides.
    new WorkloadIdentityProfile(stack, identity.name, { identity, outputs: false });
  }
  return stack;
}

/** Writes the stack of `declarations` into `outdir` (default: $CDKTF_OUTDIR or cdktf.out/platform). */
export function synthTerraform(declarations: readonly PlatformIdentity[], outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out/platform'): void {
  // cdktf creates only the last folder of outdir: on a fresh clone cdktf.out/ does not exist yet.
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  buildStack(app, declarations);
  app.synth();
}

if (require.main === module) {
  try {
    synthTerraform(loadDeclarations(process.argv[2] ?? process.env.PLATFORM_IDENTITIES ?? defaultDeclarationsFile()), process.argv[3]);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}

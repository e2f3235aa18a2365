// The platform repo's cdktf app: one stack with every identity's trusted profile, trust and
// policies (platform.out/terraform/stacks/platform-identities/cdk.tf.json).
//
//   node build/examples/platform/terraform.js [declarations file] [output dir]
//   node build/examples/platform/terraform.js [declarations file] --json    (the files, on stdout)
//
// cdktf writes its files itself, so the stack synthesizes into a private temporary folder and is
// read back: the output folder is then replaced as a whole (docs/outputs.md). With --json, the
// files go to stdout as one JSON object instead; synth.ts runs this side that way, in parallel.
import { App, TerraformStack } from 'cdktf';
import { filesWrittenBy, isTerraformWorkingFile, writeOutputFolders } from 'iks-workload-identity';
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

/** The default output folder of the Terraform side: $CDKTF_OUTDIR or platform.out/terraform. */
export function defaultTerraformOutdir(): string {
  return process.env.CDKTF_OUTDIR ?? 'platform.out/terraform';
}

/** Synthesizes the stack of `declarations`; returns every file cdktf wrote, by relative path. */
export function renderTerraform(declarations: readonly PlatformIdentity[]): Map<string, string> {
  return filesWrittenBy((outdir) => {
    const app = new App({ outdir });
    buildStack(app, declarations);
    app.synth();
  });
}

/**
 * Replaces `outdir` (default: `defaultTerraformOutdir()`) with the stack of `declarations`,
 * atomically, keeping the stack's Terraform working files (provider lock, plugins, local state).
 */
export function synthTerraform(declarations: readonly PlatformIdentity[], outdir = defaultTerraformOutdir()): void {
  writeOutputFolders(new Map([[outdir, renderTerraform(declarations)]]), { keep: (_folder, rel) => isTerraformWorkingFile(rel) });
}

if (require.main === module) {
  try {
    const [file, out] = process.argv.slice(2);
    const declarations = loadDeclarations(file ?? process.env.PLATFORM_IDENTITIES ?? defaultDeclarationsFile());
    if (out === '--json') process.stdout.write(JSON.stringify(Object.fromEntries(renderTerraform(declarations))));
    else synthTerraform(declarations, out);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  }
}

// The platform repo's cdktf app: one stack with every identity's trusted profile, trust and
// policies (platform.out/terraform/stacks/platform-identities/cdk.tf.json).
//
//   node build/examples/platform/terraform.js [declarations file] [output dir]
//   node build/examples/platform/terraform.js [declarations file] --json    (the files, on stdout)
//
// cdktf writes its files itself, so the stack synthesizes into a private temporary folder and is
// read back: the output folder is then replaced as a whole (docs/outputs.md). With --json, the
// files go to stdout as one JSON object instead; synth.ts runs this side that way, in parallel.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { isTerraformWorkingFile, writeOutputFolders } from 'iks-workload-identity';
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
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwi-platform-terraform-'));
  try {
    const app = new App({ outdir });
    buildStack(app, declarations);
    app.synth();
    const files = new Map<string, string>();
    const read = (dir: string, prefix: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (entry.isDirectory()) read(path.join(dir, entry.name), `${prefix}${entry.name}/`);
        else files.set(`${prefix}${entry.name}`, fs.readFileSync(path.join(dir, entry.name), 'utf8'));
      }
    };
    read(outdir, '');
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
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

// `npm run synth:platform`: both sides of the platform repo at once. The Terraform side renders in
// a child process (terraform.js --json) while this one checks the file and renders the Kubernetes
// side, so on a machine with two cores the wall time is that of the slower side, not the sum.
// Nothing is written until both sides have rendered: then both output folders are replaced
// together (writeOutputFolders, docs/outputs.md). A bad file, or a declaration either side
// refuses, fails with every problem and leaves both folders as they were; so does a kill.
// The child only prints: killed or orphaned, it can touch no output folder.
//
//   node build/examples/platform/synth.js [declarations file]
//
// Output folders: $CDK8S_OUTDIR (default platform.out/k8s) and $CDKTF_OUTDIR (default platform.out/terraform).
import { spawn } from 'child_process';
import * as path from 'path';
import { isTerraformWorkingFile, writeOutputFolders } from 'iks-workload-identity';
import { defaultDeclarationsFile, loadDeclarations } from './declarations';
import { defaultKubernetesOutdir, renderKubernetes } from './k8s';
import { defaultTerraformOutdir } from './terraform';

interface TerraformResult {
  readonly status: number;
  readonly files?: Map<string, string>;
  readonly errors: string;
}

function renderTerraformInChild(file: string): Promise<TerraformResult> {
  const child = spawn(process.execPath, [path.join(__dirname, 'terraform.js'), file, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk) => { errors += chunk; });
  return new Promise((resolve) => {
    child.on('error', (e) => resolve({ status: 1, errors: `${errors}${e.message}\n` }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ status: code ?? 1, errors });
      try {
        resolve({ status: 0, errors, files: new Map(Object.entries(JSON.parse(Buffer.concat(out).toString('utf8')))) });
      } catch (e) {
        resolve({ status: 1, errors: `${errors}terraform.js printed no complete JSON: ${(e as Error).message}\n` });
      }
    });
  });
}

async function main(): Promise<number> {
  const file = process.argv[2] ?? process.env.PLATFORM_IDENTITIES ?? defaultDeclarationsFile();
  // Started first, so it reads the file while this process does; its errors are shown once it ends.
  const terraform = renderTerraformInChild(file);

  let declarations;
  try {
    declarations = loadDeclarations(file);
  } catch (e) {
    // The Terraform side finds the same problems in the file; say them once.
    await terraform;
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  let k8sFiles: Map<string, string> | undefined;
  try {
    k8sFiles = renderKubernetes(declarations);
  } catch (e) {
    process.stderr.write(`Kubernetes side: ${(e as Error).message}\n`);
  }
  const tf = await terraform;
  if (tf.errors !== '') process.stderr.write(`Terraform side: ${tf.errors}`);
  if (!k8sFiles || !tf.files) {
    process.stderr.write('nothing was written: both output folders are as they were\n');
    return Math.max(1, tf.status);
  }
  try {
    const terraformDir = defaultTerraformOutdir();
    // The stack's provider lock, plugins and any local state stay (docs/outputs.md).
    writeOutputFolders(new Map([[defaultKubernetesOutdir(), k8sFiles], [terraformDir, tf.files]]), {
      keep: (folder, rel) => folder === terraformDir && isTerraformWorkingFile(rel),
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}

main().then((status) => { process.exitCode = status; });

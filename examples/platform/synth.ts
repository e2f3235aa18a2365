// `npm run synth:platform`: both sides of the platform repo at once. The Terraform side runs in
// a child process (terraform.js) while this one checks the file and synthesizes the Kubernetes
// side, so on a machine with two cores the wall time is that of the slower side, not the sum.
// A bad file fails once, with every problem, before either side writes anything.
//
//   node build/examples/platform/synth.js [declarations file]
//
// Output directories: $CDK8S_OUTDIR (default dist/platform) and $CDKTF_OUTDIR (default cdktf.out/platform).
import { spawn } from 'child_process';
import * as path from 'path';
import { defaultDeclarationsFile, loadDeclarations } from './declarations';
import { synthKubernetes } from './k8s';

async function main(): Promise<number> {
  const file = process.argv[2] ?? process.env.PLATFORM_IDENTITIES ?? defaultDeclarationsFile();
  // Started first, so it reads the file while this process does; its errors are shown once it ends.
  const terraform = spawn(process.execPath, [path.join(__dirname, 'terraform.js'), file], { stdio: ['ignore', 'inherit', 'pipe'] });
  let terraformErrors = '';
  terraform.stderr.on('data', (chunk) => { terraformErrors += chunk; });
  const terraformDone = new Promise<number>((resolve) => {
    terraform.on('error', (e) => { terraformErrors += `${e.message}\n`; resolve(1); });
    terraform.on('close', (code) => resolve(code ?? 1));
  });

  let declarations;
  try {
    declarations = loadDeclarations(file);
  } catch (e) {
    // The Terraform side finds the same problems in the file and writes nothing; say them once.
    await terraformDone;
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  let status = 0;
  try {
    synthKubernetes(declarations);
  } catch (e) {
    process.stderr.write(`Kubernetes side: ${(e as Error).message}\n`);
    status = 1;
  }
  const terraformStatus = await terraformDone;
  if (terraformErrors !== '') process.stderr.write(`Terraform side: ${terraformErrors}`);
  return Math.max(status, terraformStatus);
}

main().then((status) => process.exit(status));

// `npm run synth`: both sides of the example in one process, written atomically. Both apps
// synthesize into staging folders beside dist/ and cdktf.out/ (cdk8s and cdktf validate while
// they synthesize), and only when both succeeded are the folders swapped into place, so a side
// that refuses the declaration, or a kill at any instant, leaves the old outputs (docs/outputs.md).
//
//   node build/examples/synth.js [k8s] [terraform]      (default: both)
//
// Output folders: $CDK8S_OUTDIR (default dist) and $CDKTF_OUTDIR (default cdktf.out). The files
// are those `cdk8s synth` and `cdktf synth` write from cdk8s.yaml and cdktf.json, byte for byte.
import { App as K8sApp } from 'cdk8s';
import { App as TerraformApp } from 'cdktf';
import { isTerraformWorkingFile, writeOutputsAtomically } from 'iks-workload-identity';
import { buildChart } from './k8s/main';
import { buildStack } from './terraform/main';

type Side = 'k8s' | 'terraform';

const SIDES: Record<Side, { outdir: () => string; synth: (staging: string) => void }> = {
  k8s: {
    outdir: () => process.env.CDK8S_OUTDIR ?? 'dist',
    synth: (outdir) => {
      const app = new K8sApp({ outdir });
      buildChart(app);
      app.synth();
    },
  },
  terraform: {
    outdir: () => process.env.CDKTF_OUTDIR ?? 'cdktf.out',
    synth: (outdir) => {
      const app = new TerraformApp({ outdir });
      buildStack(app);
      app.synth();
    },
  },
};

function main(args: string[]): number {
  const unknown = args.filter((a) => !(a in SIDES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown side "${unknown[0]}"; usage: synth.js [k8s] [terraform]\n`);
    return 2;
  }
  const sides = (args.length > 0 ? [...new Set(args)] : Object.keys(SIDES)) as Side[];
  const dirs = sides.map((s) => SIDES[s].outdir());
  try {
    writeOutputsAtomically(dirs, (staging) => {
      sides.forEach((s, i) => SIDES[s].synth(staging[i]));
    }, {
      // `terraform init` in a stack folder leaves its provider lock and plugins there: keep them.
      keep: (folder, rel) => folder === SIDES.terraform.outdir() && sides.includes('terraform') && isTerraformWorkingFile(rel),
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));

// Reads the folders `check` is given into rule documents. Anything unreadable, and a folder
// with nothing to check, is a read error naming the file or folder: a check that silently
// skips a broken file, or passes because it read nothing, proves nothing.
import { ReadError } from '../decode/files';
import { readKubernetesDir } from '../decode/kubernetes';
import { readTerraformDir } from '../decode/terraform';
import { Documents } from '../rules/types';

export { ReadError };

export interface ReadOptions {
  /** Undefined: the Kubernetes side is not read. */
  readonly k8s?: string;
  /** Undefined: the Terraform side is not read. */
  readonly terraform?: string;
  readonly maxFileSize: number;
}

export async function readDocuments(options: ReadOptions): Promise<Documents> {
  const kubernetes = options.k8s === undefined ? undefined : readKubernetesDir(options.k8s, options);
  if (kubernetes?.length === 0) {
    throw new ReadError(`${options.k8s}: nothing was checked: no Kubernetes object (a document with a kind) in any *.yaml, *.yml or *.json file under it; point --k8s at the manifests, or pass --no-k8s`);
  }
  const terraform = options.terraform === undefined ? undefined : await readTerraformDir(options.terraform, options);
  if (terraform?.length === 0) {
    throw new ReadError(`${options.terraform}: nothing was checked: no *.tf or *.tf.json file under it; point --terraform at the configuration (cdktf writes cdktf.out/stacks/<name>/), or pass --no-terraform`);
  }
  return { kubernetes, terraform };
}

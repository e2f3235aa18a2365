import { Facts, Workload } from './facts';
import { iamTokenSourcesOf, ibmConfigOf, SDK_DEFAULT_TOKEN_FILES, tokenFilesOf } from './pod-token';
import { Observation, Rule } from './types';

export const IWI_K3: Rule = {
  id: 'IWI-K3',
  severity: 'error',
  title: 'IAM token not mounted in a container',
  explanation: 'Each container authenticates on its own: a container (or init container) without a '
    + 'mount of the projected IAM token cannot exchange it, and a container configured to read the '
    + 'token at a path where nothing projects it fails at its first IBM Cloud call.',
  fix: 'Mount the projected token volume read-only in every container and init container, at the path '
    + 'IBMCLOUD_CR_TOKEN / <SERVICE>_CR_TOKEN_FILENAME name (default /var/run/secrets/tokens/sa-token).',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    return (facts.kubernetes?.workloads ?? []).flatMap(check);
  },
};

function check(w: Workload): Observation[] {
  const iamVolumes = [...new Set(iamTokenSourcesOf(w).map((s) => s.volume))];
  const out: Observation[] = [];
  const report = (message: string) => out.push({ object: w.object, file: w.file, acknowledgements: w.acknowledgements, message });
  for (const c of w.containers) {
    const what = `${c.init ? 'init container' : 'container'} "${c.name}"`;
    const files = tokenFilesOf(w, c);
    const config = ibmConfigOf(c);
    const before = out.length;
    for (const r of config.reads.filter((x) => !files.has(x.file))) {
      report(`${what} reads the IAM token at ${r.file} (${r.variable}) but mounts no projected service-account token there; mount the token volume so that the file exists`);
    }
    if (config.readsSdkDefault && !SDK_DEFAULT_TOKEN_FILES.some((f) => files.has(f))) {
      report(`${what} authenticates IBM SDK clients by container token without naming the file, and mounts no projected token where the SDK looks (${SDK_DEFAULT_TOKEN_FILES[1]}); mount it there or set <SERVICE>_CR_TOKEN_FILENAME`);
    }
    if (out.length > before || iamVolumes.length === 0) continue;
    if (!c.mounts.some((m) => iamVolumes.includes(m.name))) {
      report(`${what} does not mount the IAM token volume ${iamVolumes.map((v) => `"${v}"`).join(', ')}; mount it read-only, or acknowledge IWI-K3 if this container never calls IBM Cloud`);
    }
  }
  return out;
}

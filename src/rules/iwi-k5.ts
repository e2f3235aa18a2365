import { Facts } from './facts';
import { tokenSourcesOf } from './pod-token';
import { Observation, Rule } from './types';

// The kubelet refreshes a projected token by swapping a symlink in the volume's folder; a
// subPath mount binds the file that existed when the container started and never sees the swap
// (kubernetes/kubernetes#50345; "Projected Volumes" in the Kubernetes documentation, v1.31:
// "A container using a projected volume source as a subPath volume mount will not receive
// updates for those volume sources").
export const IWI_K5: Rule = {
  id: 'IWI-K5',
  severity: 'error',
  title: 'Projected token mounted through subPath',
  explanation: 'Kubernetes never refreshes a file mounted through subPath. A projected service-account token '
    + 'mounted that way stays the one minted at container start and expires with it (within the hour for '
    + 'IAM), after which every token exchange fails until the container restarts.',
  fix: 'Mount the token volume\'s folder (mountPath without subPath or subPathExpr) and point IBMCLOUD_CR_TOKEN '
    + 'or <SERVICE>_CR_TOKEN_FILENAME at the file inside it.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      const tokenVolumes = new Set(tokenSourcesOf(w).map((s) => s.volume));
      for (const c of w.containers) {
        for (const m of c.mounts) {
          const sub = m.subPath ?? m.subPathExpr;
          if (sub === undefined || !tokenVolumes.has(m.name)) continue;
          out.push({
            object: w.object, file: w.file, acknowledgements: w.acknowledgements,
            message: `${c.init ? 'init container' : 'container'} "${c.name}" mounts the projected token volume "${m.name}" at ${m.mountPath} `
              + `through ${m.subPath !== undefined ? 'subPath' : 'subPathExpr'} ${JSON.stringify(sub.slice(0, 40))}: Kubernetes never refreshes it, so the token expires `
              + `and IAM refuses it; mount the folder without ${m.subPath !== undefined ? 'subPath' : 'subPathExpr'} and read the file inside it`,
          });
        }
      }
    }
    return out;
  },
};

import { checkPodSecurityRestricted } from './pod-security';
import { Facts } from './facts';
import { Observation, Rule } from './types';

export const IWI_S1: Rule = {
  id: 'IWI-S1',
  severity: 'error',
  title: 'Pod misses Pod Security "restricted"',
  explanation: 'A pod holding an IAM identity is worth attacking: it should run as non-root, without '
    + 'privilege escalation, with all capabilities dropped and the RuntimeDefault seccomp profile, '
    + 'as Pod Security "restricted" requires (and OpenShift\'s restricted-v2 enforces).',
  fix: 'Set runAsNonRoot: true and seccompProfile.type: RuntimeDefault on the pod, and '
    + 'allowPrivilegeEscalation: false and capabilities.drop: [ALL] on every container; remove host '
    + 'namespaces, host paths, host ports and privileged mode.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      for (const v of checkPodSecurityRestricted(w.manifest)) {
        out.push({
          object: w.object, file: w.file, acknowledgements: w.acknowledgements,
          message: `${v.container !== undefined ? `container "${v.container}": ` : ''}${v.path}: ${v.message} [${v.check}]`,
        });
      }
    }
    return out;
  },
};

import { terraformMetadataOf } from './acknowledgements';
import { Facts, isExpression } from './facts';
import { ibmConfigOf } from './pod-token';
import { Observation, Rule } from './types';

export const PROFILE_TYPE = 'ibm_iam_trusted_profile';

export const IWI_X2: Rule = {
  id: 'IWI-X2',
  severity: 'error',
  title: 'Workload names a profile the Terraform side does not define',
  explanation: 'Pods select their trusted profile by name (IBMCLOUD_CR_PROFILE, <SERVICE>_IAM_PROFILE_NAME). '
    + 'When no ibm_iam_trusted_profile of that name exists, every token exchange fails with '
    + 'BXNIM0398E: the sides have drifted apart, typically after a profile was renamed.',
  fix: 'Use the name of a profile the Terraform side defines, or define it. A profile managed elsewhere '
    + 'is declared by "//": { "iks-workload-identity": { "profileName": "<name>" } } in a resource of the stack.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const k8s = facts.kubernetes;
    if (!k8s || !facts.terraform) return [];
    const known = new Set<string>();
    for (const r of facts.terraform.resources) {
      const declared = terraformMetadataOf(r.body)?.profileName;
      if (typeof declared === 'string') known.add(declared);
      if (r.type !== PROFILE_TYPE) continue;
      // A name computed at plan time could be anything: the rule cannot judge this stack.
      if (typeof r.body.name !== 'string' || isExpression(r.body.name)) return [];
      known.add(r.body.name);
    }
    const out: Observation[] = [];
    for (const w of k8s.workloads) {
      const reported = new Set<string>();
      for (const c of w.containers) {
        for (const { variable, value } of ibmConfigOf(c).profileNames) {
          // The CLI also takes a profile ID or CRN, which only IAM can resolve.
          if (known.has(value) || /^(Profile-|crn:)/.test(value) || reported.has(value)) continue;
          reported.add(value);
          out.push({
            object: w.object, file: w.file, acknowledgements: w.acknowledgements,
            message: `container "${c.name}" asks IAM for trusted profile "${value}" (${variable}), which no ibm_iam_trusted_profile in the Terraform stacks defines${known.size > 0 ? ` (defined: ${listSome([...known].sort())})` : ''}; IAM would answer BXNIM0398E`,
          });
        }
      }
    }
    return out;
  },
};

function listSome(names: string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

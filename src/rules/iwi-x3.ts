import { Facts, Workload } from './facts';
import { ibmConfigOf } from './pod-token';
import { PROFILE_RESOURCE_TYPE, short, Trust, trustsOf } from './trust';
import { Observation, Rule } from './types';

export const IWI_X3: Rule = {
  id: 'IWI-X3',
  severity: 'error',
  title: 'Workload runs as a service account its profile does not trust',
  explanation: 'IAM exchanges a pod\'s token only when a link or claim rule of the named profile trusts the '
    + 'pod\'s namespace and service account (a pod without serviceAccountName runs as "default"). Otherwise '
    + 'every exchange fails with BXNIM0398E, typically after a service account was renamed on one side only.',
  fix: 'Run the workload as a service account the profile trusts, or add a link or claim rule for its '
    + 'namespace and service account to the profile. If IAM trusts it by a means the stacks do not show, '
    + 'acknowledge IWI-X3 on the workload with that reason.',
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const k8s = facts.kubernetes;
    if (!k8s || !facts.terraform) return [];
    const created = new Set<string>();
    for (const r of facts.terraform.resources) {
      if (r.type === PROFILE_RESOURCE_TYPE && typeof r.body.name === 'string') created.add(r.body.name);
    }
    const trusts = trustsOf(facts.terraform);
    const out: Observation[] = [];
    for (const w of k8s.workloads) {
      const reported = new Set<string>();
      for (const c of w.containers) {
        for (const { value: profile } of ibmConfigOf(c).profileNames) {
          if (reported.has(profile)) continue;
          reported.add(profile);
          const message = judge(w, profile, created, trusts);
          if (message) out.push({ object: w.object, file: w.file, acknowledgements: w.acknowledgements, message });
        }
      }
    }
    return out;
  },
};

/** The service account a pod runs as: `default` when the spec names none. */
export function serviceAccountOf(w: Workload): string {
  const spec = w.podSpec;
  for (const key of ['serviceAccountName', 'serviceAccount']) {
    if (typeof spec?.[key] === 'string' && spec[key] !== '') return spec[key];
  }
  return 'default';
}

function judge(w: Workload, profile: string, created: ReadonlySet<string>, all: readonly Trust[]): string | undefined {
  const own = all.filter((t) => t.profileName === profile);
  // A profile that no stack creates and whose trust no stack holds (an existing profile, known
  // here by name only, or one IWI-X2 reports as missing) is trusted elsewhere: nothing to judge.
  if (!created.has(profile) && own.length === 0) return undefined;
  const sa = serviceAccountOf(w);
  const who = `${w.namespace ?? '(any namespace)'}/${sa}`;
  const verdicts = own.map((t) => t.accepts(w.namespace, sa));
  if (verdicts.includes('yes')) return undefined;
  // Trusts whose profile_id could not be traced might belong to this profile and accept the pod.
  const untraced = all.filter((t) => t.profileName === undefined && t.accepts(w.namespace, sa) !== 'no');
  const runsAs = `runs as service account ${who}${sa === 'default' && !w.podSpec?.serviceAccountName ? ' (no serviceAccountName)' : ''}`;
  const trusted = own.length === 0 ? 'no service account in the stacks' : listSome(own.map((t) => `${t.describe} (${t.resource.object})`));
  if (verdicts.includes('unknown') || untraced.length > 0) {
    const which = [...own.filter((_, i) => verdicts[i] === 'unknown'), ...untraced].map((t) => t.resource.object);
    return `${runsAs} and asks for trusted profile "${short(profile)}", but whether the profile trusts it cannot be verified: `
      + `${listSome(which)} ${which.length === 1 ? 'holds a value' : 'hold values'} known only at plan time or not traceable to the profile; `
      + 'write the namespace and name literally, or acknowledge IWI-X3 once verified';
  }
  return `${runsAs} and asks for trusted profile "${short(profile)}", which trusts ${trusted}; IAM would answer BXNIM0398E: `
    + `run it as a trusted service account or add a link or claim rule for ${who} to the profile`;
}

function listSome(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

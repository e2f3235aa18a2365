// What the Terraform documents read create in one account, counted as IAM counts it (IBM Cloud
// docs, account `iam-manageaccess.md`, "IAM limits"): every access policy and context-based-
// restriction rule against one per-account limit; access-group memberships are not policies.
import { AccountLimitFinding, accountLimitFindings, ACCOUNT_LIMITS } from '../model/account-limits';
import { Facts, TerraformResource } from './facts';
import { Observation } from './types';

export const PROFILE_TYPE = 'ibm_iam_trusted_profile';
export const CLAIM_RULE_TYPE = 'ibm_iam_trusted_profile_claim_rule';
/** Resource types IAM counts against the 4,020 policies of an account. */
export const POLICY_TYPES: readonly string[] = [
  'ibm_iam_trusted_profile_policy', 'ibm_iam_access_group_policy', 'ibm_iam_service_policy',
  'ibm_iam_user_policy', 'ibm_iam_authorization_policy', 'ibm_cbr_rule',
];

/** How many objects a resource block makes: its numeric `count`, else one. */
function instances(r: TerraformResource): number {
  const count = r.body?.count;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 1;
}

function where(facts: Facts): { file: string; object: string } {
  const files = (facts.terraform?.documents ?? []).map((d) => d.file);
  return { file: files.length === 1 ? files[0] : `${files.length} Terraform stacks`, object: 'IAM account' };
}

/** The account-limit findings of the documents read, each as an observation for the engine. */
export function accountLimitObservations(facts: Facts, severity: AccountLimitFinding['severity']): Observation[] {
  const resources = facts.terraform?.resources ?? [];
  if (resources.length === 0) return [];
  const sum = (types: readonly string[]) => resources.filter((r) => types.includes(r.type)).reduce((n, r) => n + instances(r), 0);
  const bySubject = new Map<string, { count: number; first: TerraformResource }>();
  for (const r of resources.filter((x) => x.type === 'ibm_iam_trusted_profile_policy')) {
    const subject = typeof r.body?.iam_id === 'string' ? r.body.iam_id : typeof r.body?.profile_id === 'string' ? r.body.profile_id : r.object;
    const entry = bySubject.get(subject) ?? { count: 0, first: r };
    entry.count += instances(r);
    bySubject.set(subject, entry);
  }
  const busiest = [...bySubject].sort((a, b) => b[1].count - a[1].count)[0];
  const findings = accountLimitFindings({
    profiles: sum([PROFILE_TYPE]),
    policies: sum(POLICY_TYPES),
    busiestSubject: busiest && { name: `the subject ${busiest[0]}`, policies: busiest[1].count },
  });
  const account = where(facts);
  const out: Observation[] = findings.filter((f) => f.severity === severity).map((f) => {
    const at = f.limit === 'policies per subject' && busiest ? { file: busiest[1].first.file, object: busiest[1].first.object } : account;
    return { ...at, message: f.message, acknowledgements: new Map() };
  });
  if (severity === 'error') out.push(...claimRuleObservations(resources));
  return out;
}

/** Profiles with more claim rules than IAM allows on one profile. */
function claimRuleObservations(resources: readonly TerraformResource[]): Observation[] {
  const byProfile = new Map<string, TerraformResource[]>();
  for (const r of resources.filter((x) => x.type === CLAIM_RULE_TYPE && typeof x.body?.profile_id === 'string')) {
    byProfile.set(r.body.profile_id, [...(byProfile.get(r.body.profile_id) ?? []), r]);
  }
  const max = ACCOUNT_LIMITS.claimRulesPerProfile;
  return [...byProfile].filter(([, rules]) => rules.reduce((n, r) => n + instances(r), 0) > max).map(([profile, rules]) => ({
    object: rules[0].object, file: rules[0].file, acknowledgements: new Map(),
    message: `the profile ${profile} has ${rules.reduce((n, r) => n + instances(r), 0)} claim rules, and IAM allows ${max} per trusted profile; give the service accounts one name (one rule covers several namespaces) or split the profile`,
  }));
}

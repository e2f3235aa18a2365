// Which service accounts a trusted profile trusts, read from the Terraform side: its links and
// its Profile-CR claim rules, judged on the claims a manifest can tell (namespace and name).
// Answers are three-valued: a value computed at plan time cannot be judged from the files.
import { terraformMetadataOf } from './acknowledgements';
import { asBlocks, isExpression, TerraformFacts, TerraformResource } from './facts';
import { CLAIM_RULE_TYPE, conditionsOf, isComputeClaimRule, LINK_TYPE } from './iwi-t1';

export const PROFILE_RESOURCE_TYPE = 'ibm_iam_trusted_profile';

/** `yes`, `no`, or `unknown` when a value is only known at plan time or not understood. */
export type Verdict = 'yes' | 'no' | 'unknown';

/** One link block or one claim rule, and the profile it belongs to when that can be told. */
export interface Trust {
  readonly resource: TerraformResource;
  /** The profile's name; undefined when `profile_id` cannot be traced to a profile by name. */
  readonly profileName?: string;
  /** Short, for messages: `finance/ledger-v2` or `namespace EQUALS "finance", name IN [...]`. */
  readonly describe: string;
  /** Whether it trusts service account `name` in `namespace` (undefined: any namespace). */
  accepts(namespace: string | undefined, name: string): Verdict;
}

/** Claims a manifest says nothing about (cluster ID, CRN): not judged here. */
const JUDGED_CLAIMS = ['namespace', 'name'];

/** Every trust of the stacks, attributed to its profile where possible. */
export function trustsOf(terraform: TerraformFacts): Trust[] {
  // `profile_id = "${ibm_iam_trusted_profile.<logical id>.id}"` is how a stack ties them.
  const profileNames = new Map<string, string>();
  for (const r of terraform.resources) {
    if (r.type === PROFILE_RESOURCE_TYPE && typeof r.body.name === 'string' && !isExpression(r.body.name)) {
      profileNames.set(r.logicalId, r.body.name);
    }
  }
  const out: Trust[] = [];
  for (const r of terraform.resources) {
    if (r.type !== LINK_TYPE && r.type !== CLAIM_RULE_TYPE) continue;
    const profileName = profileOf(r, profileNames);
    if (r.type === LINK_TYPE) {
      for (const l of asBlocks(r.body.link)) {
        out.push({
          resource: r, profileName,
          describe: `${short(l.namespace)}/${short(l.name)}`,
          accepts: (namespace, name) => and(equalsValue(l.namespace, namespace), equalsValue(l.name, name)),
        });
      }
    } else if (isExpression(r.body.type)) {
      // A claim rule whose type is known only at plan time may be a Profile-CR rule that trusts anything.
      out.push({ resource: r, profileName, describe: `a claim rule of type ${short(r.body.type)}`, accepts: () => 'unknown' });
    } else if (isComputeClaimRule(r.body)) {
      const conditions = conditionsOf(r.body).filter((c) => JUDGED_CLAIMS.includes(c.claim));
      out.push({
        resource: r, profileName,
        describe: conditions.length === 0 ? 'every namespace and service account'
          : conditions.map((c) => `${c.claim} ${short(c.operator)} ${short(c.value)}`).join(', '),
        accepts: (namespace, name) => and(...conditions.map((c) => {
          if (c.claim === 'namespace' && namespace === undefined) return 'yes';
          return evaluateCondition(c.operator, c.value, c.claim === 'namespace' ? namespace! : name);
        })),
      });
    }
  }
  return out;
}

function profileOf(r: TerraformResource, profileNames: ReadonlyMap<string, string>): string | undefined {
  // A profile managed elsewhere: the library records its name on the resources that refer to it.
  const declared = terraformMetadataOf(r.body)?.profileName;
  if (typeof declared === 'string') return declared;
  const ref = typeof r.body.profile_id === 'string' ? /^\$\{ibm_iam_trusted_profile\.([^.}]+)\.(?:id|profile_id)\}$/.exec(r.body.profile_id) : null;
  return ref ? profileNames.get(ref[1]) : undefined;
}

/**
 * Evaluates one claim-rule condition on a claim's `actual` value. IAM reads `value` as JSON text
 * (a string, or an array of strings for IN, as the library writes it); a bare string, as IAM's
 * console writes it, is taken as is.
 */
export function evaluateCondition(operator: unknown, value: unknown, actual: string): Verdict {
  if (typeof value !== 'string' || isExpression(value) || typeof operator !== 'string') return 'unknown';
  let parsed: unknown = value;
  try {
    parsed = JSON.parse(value);
  } catch {
    // kept as the bare string
  }
  const text = typeof parsed === 'string' ? parsed : undefined;
  const verdict = (b: boolean): Verdict => (b ? 'yes' : 'no');
  switch (operator) {
    case 'EQUALS': return text === undefined ? 'unknown' : verdict(actual === text);
    case 'NOT_EQUALS': return text === undefined ? 'unknown' : verdict(actual !== text);
    case 'EQUALS_IGNORE_CASE': return text === undefined ? 'unknown' : verdict(actual.toLowerCase() === text.toLowerCase());
    case 'NOT_EQUALS_IGNORE_CASE': return text === undefined ? 'unknown' : verdict(actual.toLowerCase() !== text.toLowerCase());
    case 'CONTAINS': return text === undefined ? 'unknown' : verdict(actual.includes(text));
    case 'IN':
      if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) return 'unknown';
      return verdict(parsed.includes(actual));
    default: return 'unknown';
  }
}

/** A link's namespace or name against the actual one (undefined: any). */
function equalsValue(value: unknown, actual: string | undefined): Verdict {
  if (actual === undefined) return 'yes';
  if (typeof value !== 'string' || isExpression(value)) return 'unknown';
  return value === actual ? 'yes' : 'no';
}

export function and(...verdicts: Verdict[]): Verdict {
  if (verdicts.includes('no')) return 'no';
  return verdicts.includes('unknown') ? 'unknown' : 'yes';
}

/** A value for a message, at most ~40 characters: messages never echo long input. */
export function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

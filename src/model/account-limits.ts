// IAM's account limits (IBM Cloud docs, account `iam-manageaccess.md`, "IAM limits"). A plan that
// crosses one fails half-applied, so the library counts before anything is written.
import { WorkloadIdentityError } from './errors';

/** The IAM limits this library checks against. */
export const ACCOUNT_LIMITS = {
  /** Trusted profiles per account. */
  trustedProfilesPerAccount: 2000,
  /** Access policies per account, shared with context-based-restriction rules. */
  policiesPerAccount: 4020,
  /** IBM advises staying under about this many policies per account, for performance. */
  advisedPoliciesPerAccount: 1000,
  /** Access policies per subject (one trusted profile). */
  policiesPerSubject: 1000,
  /** Claim rules per trusted profile. */
  claimRulesPerProfile: 20,
} as const;

/** Warn once a count reaches this share of a hard limit. */
export const ADVISORY_SHARE = 0.9;

/** What a set of declarations (or Terraform stacks) creates in one account. */
export interface AccountUsage {
  /** Trusted profiles created (attached existing profiles are not counted). */
  readonly profiles: number;
  /** Access policies created (access-group memberships are not policies). */
  readonly policies: number;
  /**
   * The most policies on one subject, and which.
   * @default - not counted
   */
  readonly busiestSubject?: { readonly name: string; readonly policies: number };
}

/** A limit crossed (error) or neared (warning). */
export interface AccountLimitFinding {
  readonly severity: 'error' | 'warning';
  /** `trusted profiles per account`, `policies per account`, ... */
  readonly limit: string;
  readonly count: number;
  readonly max: number;
  /** The count, the limit and the fix, in one sentence. */
  readonly message: string;
}

const n = (x: number) => x.toLocaleString('en-US');
const GROUPS_FIX = 'give identities that need the same access one IAM access group (accessGroups) instead of a copy of its policies each';

/** The limits `usage` crosses or nears; empty when it is well inside them. */
export function accountLimitFindings(usage: AccountUsage): AccountLimitFinding[] {
  const out: AccountLimitFinding[] = [];
  const L = ACCOUNT_LIMITS;
  const add = (severity: 'error' | 'warning', limit: string, count: number, max: number, message: string) =>
    out.push({ severity, limit, count, max, message });
  if (usage.profiles > L.trustedProfilesPerAccount) {
    add('error', 'trusted profiles per account', usage.profiles, L.trustedProfilesPerAccount, `${n(usage.profiles)} trusted profiles, and IAM allows ${n(L.trustedProfilesPerAccount)} per account (profiles made elsewhere count too); attach identities that run the same code to one profile (existingProfile or additionalServiceAccounts), or spread them over accounts`);
  } else if (usage.profiles >= L.trustedProfilesPerAccount * ADVISORY_SHARE) {
    add('warning', 'trusted profiles per account', usage.profiles, L.trustedProfilesPerAccount, `${n(usage.profiles)} trusted profiles, close to IAM's ${n(L.trustedProfilesPerAccount)} per account (profiles made elsewhere count too); plan to share profiles or split accounts before apply fails`);
  }
  if (usage.policies > L.policiesPerAccount) {
    add('error', 'policies per account', usage.policies, L.policiesPerAccount, `${n(usage.policies)} access policies, and IAM allows ${n(L.policiesPerAccount)} per account, shared with every other policy and context-based-restriction rule; ${GROUPS_FIX}`);
  } else if (usage.policies > L.advisedPoliciesPerAccount) {
    add('warning', 'advised policies per account', usage.policies, L.advisedPoliciesPerAccount, `${n(usage.policies)} access policies; IBM advises staying under about ${n(L.advisedPoliciesPerAccount)} per account (the hard limit is ${n(L.policiesPerAccount)}, shared with context-based-restriction rules); ${GROUPS_FIX}`);
  }
  const busiest = usage.busiestSubject;
  if (busiest && busiest.policies > L.policiesPerSubject) {
    add('error', 'policies per subject', busiest.policies, L.policiesPerSubject, `${busiest.name} has ${n(busiest.policies)} access policies, and IAM allows ${n(L.policiesPerSubject)} per subject; ${GROUPS_FIX}`);
  } else if (busiest && busiest.policies >= L.policiesPerSubject * ADVISORY_SHARE) {
    add('warning', 'policies per subject', busiest.policies, L.policiesPerSubject, `${busiest.name} has ${n(busiest.policies)} access policies, close to IAM's ${n(L.policiesPerSubject)} per subject; ${GROUPS_FIX}`);
  }
  return out;
}

/** What validated identities need of an account. */
export function accountUsageOf(identities: readonly { readonly name: string; readonly existingProfile?: unknown; readonly policies: readonly unknown[] }[]): AccountUsage {
  let busiest: { name: string; policies: number } | undefined;
  let policies = 0;
  for (const identity of identities) {
    policies += identity.policies.length;
    if (!busiest || identity.policies.length > busiest.policies) busiest = { name: `identity "${identity.name}"`, policies: identity.policies.length };
  }
  return { profiles: identities.filter((i) => i.existingProfile === undefined).length, policies, busiestSubject: busiest };
}

export interface AccountLimitOptions {
  /**
   * Receives each warning (a limit neared).
   * @default - `process.emitWarning`, so Node prints it on stderr
   */
  readonly onWarning?: (message: string) => void;
  /**
   * Receives each crossed limit instead of a throw, for callers that collect problems.
   * @default - the errors are thrown together as a `WorkloadIdentityError`
   */
  readonly onError?: (finding: AccountLimitFinding) => void;
}

/**
 * Counts what `identities` create in one account against IAM's limits: throws a
 * `WorkloadIdentityError` naming count, limit and fix when a hard limit is crossed, and reports
 * warnings near the advisory ones. Declarations loaders call it for a whole file.
 */
export function checkAccountLimits(
  identities: readonly { readonly name: string; readonly existingProfile?: unknown; readonly policies: readonly unknown[] }[],
  options: AccountLimitOptions = {},
): AccountLimitFinding[] {
  const findings = accountLimitFindings(accountUsageOf(identities));
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, 'IamAccountLimitWarning'));
  for (const f of findings) if (f.severity === 'warning') warn(`IAM account limit: ${f.message}`);
  const errors = findings.filter((f) => f.severity === 'error');
  if (options.onError) {
    errors.forEach(options.onError);
  } else if (errors.length > 0) {
    throw new WorkloadIdentityError(errors.map((f) => ({ identity: '(all identities)', field: f.limit, value: f.count, message: `IAM account limit: ${f.message}` })));
  }
  return findings;
}

import { accountLimitObservations, POLICY_TYPES, PROFILE_TYPE } from './account-usage';
import { Facts } from './facts';
import { Observation, Rule } from './types';

export const IWI_L1: Rule = {
  id: 'IWI-L1',
  severity: 'error',
  title: 'IAM account limit exceeded',
  explanation: 'IAM allows 2,000 trusted profiles and 4,020 access policies per account (policies and '
    + 'context-based-restriction rules share that limit), 1,000 policies per subject and 20 claim rules '
    + 'per trusted profile. A plan past a limit fails at apply, part-way, after some resources exist. '
    + 'Counted over every stack read: run the check over all stacks that deploy to one account.',
  fix: 'Give workloads that need the same access one IAM access group (accessGroups) instead of a copy of '
    + 'its policies each; share one profile between identities that run the same code; or spread the '
    + 'identities over accounts.',
  target: { side: 'terraform', resourceTypes: [PROFILE_TYPE, 'ibm_iam_trusted_profile_claim_rule', ...POLICY_TYPES] },
  check(facts: Facts): Observation[] {
    return accountLimitObservations(facts, 'error');
  },
};

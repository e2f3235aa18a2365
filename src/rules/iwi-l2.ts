import { accountLimitObservations, POLICY_TYPES, PROFILE_TYPE } from './account-usage';
import { Facts } from './facts';
import { Observation, Rule } from './types';

export const IWI_L2: Rule = {
  id: 'IWI-L2',
  severity: 'warning',
  title: 'Close to an IAM account limit',
  explanation: 'IBM advises staying under about 1,000 access policies per account (the hard limit is '
    + '4,020), and a stack set within 10% of the 2,000 trusted profiles or of the 1,000 policies per '
    + 'subject leaves little room: objects made outside these stacks count too.',
  fix: 'Move access that many workloads share into IAM access groups (accessGroups), and retire unused '
    + 'profiles and policies, before a plan crosses the hard limit.',
  target: { side: 'terraform', resourceTypes: [PROFILE_TYPE, ...POLICY_TYPES] },
  check(facts: Facts): Observation[] {
    return accountLimitObservations(facts, 'warning');
  },
};

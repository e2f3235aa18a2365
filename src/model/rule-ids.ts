// The rule IDs an acknowledgement may name. The model sits below the rules and cannot import
// them, so the IDs are listed here; test/rules/rule-ids.test.ts fails until this list equals
// the IDs of ALL_RULES, so a new rule is added here in the same change.

/** The ID of every rule in `ALL_RULES`, in its order. */
export const KNOWN_RULE_IDS: readonly string[] = Object.freeze([
  // Terraform pack
  'IWI-P1', 'IWI-P2', 'IWI-T1', 'IWI-T2',
  // Kubernetes pack
  'IWI-K1', 'IWI-K2', 'IWI-K3', 'IWI-K4', 'IWI-K5', 'IWI-K6',
  // Pod Security pack
  'IWI-S1',
  // Cross pack
  'IWI-X1', 'IWI-X2', 'IWI-X3',
  // Account pack
  'IWI-L1', 'IWI-L2', 'IWI-G1',
]);

/** Whether `id` names a rule of this library. */
export function isKnownRuleId(id: string): boolean {
  return KNOWN_RULE_IDS.includes(id);
}

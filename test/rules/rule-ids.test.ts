// The model's list of rule IDs (acknowledgements are checked against it) is the rules' own.
import { KNOWN_RULE_IDS } from '../../src/model/rule-ids';
import { ALL_RULES } from '../../src/rules/packs';

test('the model knows exactly the IDs of every rule', () => {
  // GIVEN the rules the engine runs
  const ids = ALL_RULES.map((r) => r.id);
  // WHEN compared with the IDs an acknowledgement may name
  // THEN they are the same set, each listed once
  expect([...KNOWN_RULE_IDS].sort()).toEqual([...ids].sort());
  expect(new Set(KNOWN_RULE_IDS).size).toBe(KNOWN_RULE_IDS.length);
});

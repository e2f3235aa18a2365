import * as fs from 'fs';
import * as path from 'path';
import { ACCOUNT_PACK, ALL_RULES, CROSS_PACK, KUBERNETES_PACK, POD_SECURITY_PACK, TERRAFORM_PACK } from '../../src/rules';

const RULES_DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');

describe('the rule catalogue', () => {
  test('gives every rule a unique ID of the documented form, a severity, a title, an explanation and a fix', () => {
    // GIVEN every rule
    // WHEN its metadata is read
    // THEN IDs are unique IWI-<letter><digit> and the texts are not empty
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^IWI-[PTKSXLG]\d+$/);
      expect(['error', 'warning']).toContain(r.severity);
      expect([r.title, r.explanation, r.fix].every((t) => t.trim().length > 10)).toBe(true);
    }
  });

  test('puts every rule in exactly one pack', () => {
    // GIVEN the four packs
    const packed = [...TERRAFORM_PACK, ...KUBERNETES_PACK, ...POD_SECURITY_PACK, ...CROSS_PACK, ...ACCOUNT_PACK].map((r) => r.id).sort();
    // WHEN they are compared with all rules
    // THEN each rule appears once
    expect(packed).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test('is listed in docs/rules.md with each rule\'s severity', () => {
    // GIVEN the rule table of docs/rules.md
    // WHEN each rule is looked up in it
    // THEN every rule has a row naming its ID and severity
    for (const r of ALL_RULES) expect(RULES_DOC).toMatch(new RegExp(`\\| \`${r.id}\` \\| ${r.severity} \\|`));
  });
});

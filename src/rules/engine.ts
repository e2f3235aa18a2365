import { reasonProblem } from './acknowledgements';
import { extractFacts, Facts } from './facts';
import { ALL_RULES } from './packs';
import { Documents, Finding, Rule } from './types';

/** What a run of the rules found. */
export interface RuleReport {
  readonly findings: readonly Finding[];
  /** Errors not acknowledged: a run with any fails. */
  readonly errors: number;
  /** Warnings not acknowledged. */
  readonly warnings: number;
  readonly acknowledged: number;
}

/** Runs `rules` over `documents`; findings come sorted by file, object and rule. */
export function runRules(documents: Documents, rules: readonly Rule[] = ALL_RULES): RuleReport {
  return runRulesOnFacts(extractFacts(documents), rules);
}

/**
 * Runs `rules` over facts already extracted (`extractFacts`), so a caller that judges one side
 * before the other is read extracts each side's facts once.
 */
export function runRulesOnFacts(facts: Facts, rules: readonly Rule[]): RuleReport {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const o of rule.check(facts)) {
      const given = o.acknowledgements.get(rule.id);
      // A reason too short to say why leaves the finding open, and the finding says so.
      const problem = given === undefined ? undefined : reasonProblem(given);
      const message = problem === undefined ? o.message : `${o.message} (the acknowledgement of ${rule.id} does not count: ${problem})`;
      findings.push({
        ruleId: rule.id, severity: rule.severity, object: o.object, file: o.file, message, fix: rule.fix,
        ...(given !== undefined && problem === undefined ? { acknowledged: given } : {}),
      });
    }
  }
  return reportOf(findings);
}

/**
 * One report of the findings of several runs over the same documents, each run with other rules:
 * the report one run with all those rules gives (a rule's findings keep their order).
 */
export function mergeReports(...reports: readonly RuleReport[]): RuleReport {
  return reportOf(reports.flatMap((r) => r.findings));
}

function reportOf(unsorted: readonly Finding[]): RuleReport {
  // Stable: findings of one rule on one object keep the order the rule gave them.
  const findings = [...unsorted].sort((a, b) => compare(a.file, b.file) || compare(a.object, b.object) || compare(a.ruleId, b.ruleId));
  const open = findings.filter((f) => f.acknowledged === undefined);
  return {
    findings,
    errors: open.filter((f) => f.severity === 'error').length,
    warnings: open.filter((f) => f.severity === 'warning').length,
    acknowledged: findings.length - open.length,
  };
}

/** `ERROR IWI-P1 <object> (<file>): <message>`; acknowledged findings say so and why. */
export function formatFinding(f: Finding): string {
  const head = f.acknowledged === undefined ? f.severity.toUpperCase() : 'ACKNOWLEDGED';
  const tail = f.acknowledged === undefined ? '' : ` [${f.severity} acknowledged: ${f.acknowledged}]`;
  return `${head} ${f.ruleId} ${f.object} (${f.file}): ${f.message}${tail}`;
}

/**
 * Validation messages for the open errors: one per rule and object, with the rule's fix and how
 * to accept the finding instead, so a failed synthesis says everything needed to fix it.
 */
export function formatSynthErrors(findings: readonly Finding[]): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.severity !== 'error' || f.acknowledged !== undefined) continue;
    const key = `${f.ruleId} ${f.object}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups].map(([key, group]) => `${key}: ${group.map((f) => f.message).join('; ')}. Fix: ${group[0].fix} `
    + `Or accept it: add { ruleId: '${group[0].ruleId}', reason: '<why>' } to the identity's acknowledgements.`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

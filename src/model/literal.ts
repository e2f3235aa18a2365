// Values that reach Terraform JSON as literals, judged by the one character policy
// (./text-policy): identifiers (service names, instance IDs, CRNs, cluster names, tag and
// condition values) refuse `${`, `%{` and every C0/C1 control character; free text
// (descriptions) may hold tab and line feed, and its `${`/`%{` are escaped on the way out.
import { TextLanding, textProblem } from './text-policy';

/** Why `value` cannot be sent as a literal identifier, or undefined when it can. */
export function literalProblem(value: string): string | undefined {
  return textProblem(value, TextLanding.TERRAFORM_NAME);
}

/** Why free text (a description) cannot be used, or undefined. */
export function freeTextProblem(value: string): string | undefined {
  return textProblem(value, TextLanding.FREE_TEXT);
}

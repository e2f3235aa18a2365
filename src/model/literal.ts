// Values that reach Terraform JSON as literals, judged by the one character policy
// (./text-policy): identifiers (service names, instance IDs, CRNs, cluster names, tag and
// condition values) refuse `${`, `%{` and every C0/C1 control character; free text
// (descriptions) may hold tab and line feed, and its `${`/`%{` are escaped on the way out.
import { TextLanding, textProblem } from './text-policy';

// A value made in code from another object of the stack (`instance.guid` in a cdktf app) is
// not text but a reference: cdktf encodes it as one string token and resolves it at synthesis
// to an expression naming that object, which the rules then judge (IWI-P1 resolves references
// to objects of the same configuration). Only a whole token passes: the data-file loader checks
// its strings before they reach the model, so a file cannot smuggle one in.
const WHOLE_CDKTF_STRING_TOKEN = /^\$\{TfToken\[TOKEN\.\d+\]\}$/;

/** Why `value` cannot be sent as a literal identifier, or undefined when it can. */
export function literalProblem(value: string): string | undefined {
  if (WHOLE_CDKTF_STRING_TOKEN.test(value)) return undefined;
  return textProblem(value, TextLanding.TERRAFORM_NAME);
}

/** Why free text (a description) cannot be used, or undefined. */
export function freeTextProblem(value: string): string | undefined {
  return textProblem(value, TextLanding.FREE_TEXT);
}

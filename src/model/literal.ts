// Values that reach Terraform JSON as literals. In Terraform's JSON syntax every string is a
// template: `${` starts an interpolation and `%{` a directive, so a value holding either would
// be evaluated at plan time instead of sent as written. Free text (descriptions) is escaped by
// the Terraform side (`$${`, `%%{`); identifiers (service names, instance IDs, CRNs, cluster
// names, tag and condition values) never legitimately hold them, so they are refused.

/** Why `value` cannot be sent as a literal identifier, or undefined when it can. */
export function literalProblem(value: string): string | undefined {
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'it holds a control character (a newline, tab or similar); remove it';
  if (/\$\{|%\{/.test(value)) return 'it holds "${" or "%{", which Terraform would evaluate as a template; this library sends literal values, so give the value itself';
  return undefined;
}

/** Why free text (a description) cannot be used, or undefined: control characters only. */
export function freeTextProblem(value: string): string | undefined {
  return /[\u0000-\u0008\u000b-\u001f\u007f]/.test(value) ? 'it holds a control character; remove it (newlines and tabs are fine)' : undefined;
}

// The one policy for characters in declared text, by where the text lands. Every check of a
// string that reaches a manifest or Terraform goes through here, in the model and in the
// declarations loader, so the two never disagree about what is refused and what is escaped.
//
// - The kubelet expands `$(VAR)` in a container's `env[].value`, `command` and `args` (and
//   `$$(` is its escape). A value that lands there and contains `$(` is REFUSED: no name, path
//   or URL needs it, and escaping would make the pod's value differ from the declaration.
// - Terraform reads `${` and `%{` in any string as the start of an interpolation or directive.
//   In a value that names or identifies something (names, IDs, CRNs, keys, roles, paths, URLs)
//   they are REFUSED, for the same reason. In free text that only describes (descriptions), a
//   user may well write them: there they are ESCAPED (`$${`, `%%{`) on the way into Terraform,
//   so Terraform shows the text as written (`escapeTerraformTemplate`).
// - C0 and C1 control characters (U+0000-U+001F, U+007F-U+009F) are REFUSED in every string
//   that reaches a manifest or Terraform. Free text may hold line feeds and tabs (a YAML block
//   scalar description is legitimate); no other control character.

/** Every C0 and C1 control character, DEL included. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** Control characters free text may not hold: all but tab (U+0009) and line feed (U+000A). */
const FREE_TEXT_CONTROL_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const KUBELET_REFERENCE = /\$\(/;
const TERRAFORM_TEMPLATE = /[$%]\{/;

/** Where a declared string lands, which decides what in it is refused or escaped. */
export enum TextLanding {
  /** A name or identifier that reaches Terraform only: refuses `${`, `%{` and control characters. */
  TERRAFORM_NAME = 'terraform-name',
  /** A value that reaches a container's environment or command: refuses `$(` and control characters. */
  KUBELET = 'kubelet',
  /** Both of the above (a profile name, an IAM endpoint): refuses `$(`, `${`, `%{` and control characters. */
  KUBELET_AND_TERRAFORM = 'kubelet-and-terraform',
  /** Free text for Terraform: `${` and `%{` are escaped, tab and line feed allowed. */
  FREE_TEXT = 'free-text',
}

/**
 * What `textProblem` refuses for `landing`, as regular expressions any match of which is
 * refused: for a JSON Schema of the declarations file, so an editor refuses what the loader does.
 */
export function refusedTextPatterns(landing: TextLanding): RegExp[] {
  const free = landing === TextLanding.FREE_TEXT;
  const kubelet = landing === TextLanding.KUBELET || landing === TextLanding.KUBELET_AND_TERRAFORM;
  const terraform = landing === TextLanding.TERRAFORM_NAME || landing === TextLanding.KUBELET_AND_TERRAFORM;
  return [free ? FREE_TEXT_CONTROL_CHARACTER : CONTROL_CHARACTER, ...(kubelet ? [KUBELET_REFERENCE] : []), ...(terraform ? [TERRAFORM_TEMPLATE] : [])];
}

/**
 * Why `text` may not land where `landing` says, as the rule and its fix; undefined when it may.
 * Reports the first broken rule only, so a message stays one sentence.
 */
export function textProblem(text: string, landing: TextLanding): string | undefined {
  const free = landing === TextLanding.FREE_TEXT;
  const control = (free ? FREE_TEXT_CONTROL_CHARACTER : CONTROL_CHARACTER).exec(text);
  if (control) {
    const code = `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    return `it holds the control character ${code} at position ${control.index}, which ${free ? 'free text may not hold (only tab and line feed are allowed)' : 'no name, path or URL may hold'}; remove it`;
  }
  const kubelet = landing === TextLanding.KUBELET || landing === TextLanding.KUBELET_AND_TERRAFORM;
  if (kubelet && KUBELET_REFERENCE.test(text)) {
    return 'it holds "$(", which the kubelet expands as a variable reference in the pod\'s environment and command; remove it';
  }
  const terraform = landing === TextLanding.TERRAFORM_NAME || landing === TextLanding.KUBELET_AND_TERRAFORM;
  if (terraform && TERRAFORM_TEMPLATE.test(text)) {
    return 'it holds "${" or "%{", which Terraform reads as the start of a template; remove it';
  }
  return undefined;
}

/**
 * Free text as a Terraform string literal: `${` and `%{` would otherwise start an
 * interpolation or a directive, so they are doubled (`$${`, `%%{`), Terraform's own escape.
 */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
}

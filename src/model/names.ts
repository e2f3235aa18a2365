import { ProblemCollector } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

/** Whether `value` is a DNS-1123 label (namespaces, volume and container names). */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

/** Whether `value` has the syntax of a DNS-1123 label, whatever its length. */
export function hasDns1123LabelSyntax(value: string): boolean {
  return DNS1123_LABEL.test(value);
}

/** Whether `value` is a DNS-1123 subdomain (service account and most object names). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

/** Reports a value that is not a DNS-1123 label, saying which part of the rule it breaks. */
export function checkDns1123Label(problems: ProblemCollector, field: string, value: unknown, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, value, `${what} must be a non-empty DNS-1123 label; set ${field}`);
  } else if (value.length > DNS1123_LABEL_MAX) {
    problems.add(field, value, `${what} must be a DNS-1123 label of at most ${DNS1123_LABEL_MAX} characters (it has ${value.length}); shorten it`);
  } else if (!DNS1123_LABEL.test(value)) {
    problems.add(field, value, `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit; use e.g. ${JSON.stringify(suggestName(value, false))}`);
  }
}

/** Reports a value that is not a DNS-1123 subdomain. */
export function checkDns1123Subdomain(problems: ProblemCollector, field: string, value: unknown, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    problems.add(field, value, `${what} must be a non-empty DNS-1123 subdomain; set ${field}`);
  } else if (value.length > DNS1123_SUBDOMAIN_MAX) {
    problems.add(field, value, `${what} must be a DNS-1123 subdomain of at most ${DNS1123_SUBDOMAIN_MAX} characters (it has ${value.length}); shorten it`);
  } else if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.add(field, value, `${what} must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit; use e.g. ${JSON.stringify(suggestName(value, true))}`);
  }
}

function suggestName(value: string, allowDots: boolean): string {
  const cleaned = value
    .toLowerCase()
    .replace(allowDots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-*\.-*/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  return cleaned.slice(0, allowDots ? DNS1123_SUBDOMAIN_MAX : DNS1123_LABEL_MAX).replace(/[-.]+$/, '') || 'my-name';
}

import { excerpt, isDns1123Label, isDns1123Subdomain, WorkloadIdentity } from '../../src';
import { captureError, expectOneProblem, propsWith } from './fixtures';

/** A DNS-1123 label of exactly `length` characters. */
function label(length: number): string {
  return 'a'.repeat(length);
}

/** A DNS-1123 subdomain of exactly `length` characters, made of dot-separated labels. */
function subdomain(length: number): string {
  const parts: string[] = [];
  let remaining = length;
  while (remaining > 0) {
    const part = Math.min(63, remaining);
    // leave room for at least one character after a dot
    const take = remaining - part === 1 ? part - 1 : part;
    parts.push('s'.repeat(take));
    remaining -= take + 1;
  }
  const result = parts.join('.');
  if (result.length !== length) throw new Error(`subdomain(${length}) built ${result.length} characters`);
  return result;
}

/** The declaration with `name` changed and the service account named explicitly, so only `name` is checked. */
function withName(name: unknown) {
  return propsWith({ name, serviceAccount: { namespace: 'payments', name: 'payments-api' } });
}

describe('the identity name', () => {
  test('accepts a name of 51 characters, the most that leaves room for the token-fetch Job suffix', () => {
    // GIVEN a 51-character name
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withName(label(51)));
    // THEN it is kept
    expect(identity.name).toBe(label(51));
  });

  test.each([52, 63])('rejects a name of %i characters, naming the token-fetch Job it would not fit', (length) => {
    // GIVEN a name that is a DNS-1123 label but too long for "<name>-token-fetch"
    // WHEN the identity is built
    // THEN the error names the field, the limit of 51, the length and the fix
    expectOneProblem(withName(label(length)), {
      identity: label(length),
      field: 'name',
      shown: `"${label(length)}"`,
      says: ['the token-fetch Job is named "<name>-token-fetch"', 'an identity name has at most 51 characters', `(it has ${length})`, 'shorten it'],
    });
  });

  test('rejects a name of 64 characters with the limit that applies to identity names, 51', () => {
    // GIVEN a 64-character name
    // WHEN the identity is built
    // THEN the error gives the identity-name limit (not the label limit of 63, which would take two rounds), the length and the fix
    expectOneProblem(withName(label(64)), {
      identity: label(64),
      field: 'name',
      shown: `"${label(64)}"`,
      says: ['an identity name has at most 51 characters (it has 64)', 'shorten it'],
    });
  });

  test('rejects an empty name and reports it for an unnamed identity', () => {
    // GIVEN name ""
    // WHEN the identity is built
    // THEN the error says to set the name
    expectOneProblem(withName(''), {
      identity: '(unnamed)',
      field: 'name',
      shown: '""',
      says: ['the identity name must be a non-empty DNS-1123 label', 'set name'],
    });
  });

  test('rejects a missing name', () => {
    // GIVEN no name
    // WHEN the identity is built
    // THEN the error shows the value as missing
    expectOneProblem(withName(undefined), {
      identity: '(unnamed)',
      field: 'name',
      shown: 'missing',
      says: ['non-empty DNS-1123 label'],
    });
  });

  test('rejects an upper-case name and suggests the lower-case one', () => {
    // GIVEN name "Payments-API"
    // WHEN the identity is built
    // THEN the error states the character rule and suggests a valid name
    expectOneProblem(withName('Payments-API'), {
      identity: 'Payments-API',
      field: 'name',
      shown: '"Payments-API"',
      says: ["lowercase letters, digits and '-'", 'use e.g. "payments-api"'],
    });
  });

  test('rejects a name ending in "-" and suggests it without', () => {
    // GIVEN name "payments-api-"
    // WHEN the identity is built
    // THEN the error says how it must end and suggests a valid name
    expectOneProblem(withName('payments-api-'), {
      identity: 'payments-api-',
      field: 'name',
      shown: '"payments-api-"',
      says: ['starting and ending with a letter or digit', 'use e.g. "payments-api"'],
    });
  });

  test('rejects a name with dots, since it must be a label', () => {
    // GIVEN name "payments.api"
    // WHEN the identity is built
    // THEN the error suggests the name with a dash
    expectOneProblem(withName('payments.api'), {
      identity: 'payments.api',
      field: 'name',
      shown: '"payments.api"',
      says: ['must be a DNS-1123 label', 'use e.g. "payments-api"'],
    });
  });

  test('an invalid name that the service account name defaults to is reported once, on name', () => {
    // GIVEN an upper-case name and a service account without a name
    const props = propsWith({ name: 'Payments' });
    // WHEN the identity is built
    const error = captureError(props);
    // THEN only the name is reported: fixing it fixes the defaulted service account name too
    expect(error.problems.map((p) => p.field)).toEqual(['name']);
  });
});

describe('the service account namespace', () => {
  test('accepts a namespace of 63 characters', () => {
    // GIVEN a 63-character namespace
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ serviceAccount: { namespace: label(63) } }));
    // THEN it is kept
    expect(identity.serviceAccount.namespace).toBe(label(63));
  });

  test('rejects a namespace of 64 characters', () => {
    // GIVEN a 64-character namespace
    // WHEN the identity is built
    // THEN the error gives the limit and the length
    expectOneProblem(propsWith({ serviceAccount: { namespace: label(64) } }), {
      field: 'serviceAccount.namespace',
      shown: `"${label(64)}"`,
      says: ['a namespace must be a DNS-1123 label of at most 63 characters (it has 64)', 'shorten it'],
    });
  });

  test('rejects an upper-case namespace and suggests the lower-case one', () => {
    // GIVEN namespace "Payments"
    // WHEN the identity is built
    // THEN the error suggests "payments"
    expectOneProblem(propsWith({ serviceAccount: { namespace: 'Payments' } }), {
      field: 'serviceAccount.namespace',
      shown: '"Payments"',
      says: ['a namespace must be a DNS-1123 label', 'use e.g. "payments"'],
    });
  });

  test('rejects a missing namespace', () => {
    // GIVEN a service account without namespace
    // WHEN the identity is built
    // THEN the error says to set it
    expectOneProblem(propsWith({ serviceAccount: {} }), {
      field: 'serviceAccount.namespace',
      shown: 'missing',
      says: ['non-empty DNS-1123 label', 'set serviceAccount.namespace'],
    });
  });
});

describe('the service account name', () => {
  test('accepts a name of 253 characters', () => {
    // GIVEN a 253-character subdomain
    const name = subdomain(253);
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ serviceAccount: { namespace: 'payments', name } }));
    // THEN it is kept
    expect(identity.serviceAccount.name).toBe(name);
  });

  test('rejects a name of 254 characters', () => {
    // GIVEN a 254-character subdomain
    const name = subdomain(254);
    // WHEN the identity is built
    // THEN the error gives the limit and the length
    expectOneProblem(propsWith({ serviceAccount: { namespace: 'payments', name } }), {
      field: 'serviceAccount.name',
      // Messages quote a long value as an excerpt with its length.
      shown: excerpt(name),
      says: ['a service account name must be a DNS-1123 subdomain of at most 253 characters (it has 254)', 'shorten it'],
    });
  });

  test('accepts dots in the name', () => {
    // GIVEN name "api.runner"
    // WHEN the identity is built
    const identity = new WorkloadIdentity(propsWith({ serviceAccount: { namespace: 'payments', name: 'api.runner' } }));
    // THEN it is kept
    expect(identity.serviceAccount.name).toBe('api.runner');
  });

  test('rejects a name ending in a dot', () => {
    // GIVEN name "api.runner."
    // WHEN the identity is built
    // THEN the error states the rule for each part and suggests a valid name
    expectOneProblem(propsWith({ serviceAccount: { namespace: 'payments', name: 'api.runner.' } }), {
      field: 'serviceAccount.name',
      shown: '"api.runner."',
      says: ['each dot-separated part starting and ending with a letter or digit', 'use e.g. "api.runner"'],
    });
  });

  test('rejects an upper-case name and suggests the lower-case one', () => {
    // GIVEN name "API-Runner"
    // WHEN the identity is built
    // THEN the error suggests "api-runner"
    expectOneProblem(propsWith({ serviceAccount: { namespace: 'payments', name: 'API-Runner' } }), {
      field: 'serviceAccount.name',
      shown: '"API-Runner"',
      says: ['a service account name must be a DNS-1123 subdomain', 'use e.g. "api-runner"'],
    });
  });
});

describe('isDns1123Label', () => {
  test('accepts lowercase letters, digits and inner dashes', () => {
    // GIVEN valid labels
    // WHEN checked
    // THEN each is a label
    expect(['a', '0', 'payments-api', 'a1-b2', label(63)].every(isDns1123Label)).toBe(true);
  });

  test('rejects dots, upper case, edge dashes, empty and over-long values', () => {
    // GIVEN invalid labels
    // WHEN checked
    // THEN none is a label
    expect(['', 'a.b', 'A', '-a', 'a-', 'a_b', label(64)].some(isDns1123Label)).toBe(false);
  });
});

describe('isDns1123Subdomain', () => {
  test('accepts dot-separated labels up to 253 characters', () => {
    // GIVEN valid subdomains
    // WHEN checked
    // THEN each is a subdomain
    expect(['a', 'api.runner', 'a-1.b-2.c', subdomain(253)].every(isDns1123Subdomain)).toBe(true);
  });

  test('rejects empty parts, edge dots and dashes, upper case and over-long values', () => {
    // GIVEN invalid subdomains
    // WHEN checked
    // THEN none is a subdomain
    expect(['', '.a', 'a.', 'a..b', 'a-.b', 'A.b', subdomain(254)].some(isDns1123Subdomain)).toBe(false);
  });
});

// Messages quote a bounded excerpt of a value: a hostile value never makes a hostile message.
import { excerpt, formatValue, WorkloadIdentity, WorkloadIdentityError } from '../../src';
import { captureError, propsWith } from './fixtures';

describe('formatValue', () => {
  test('quotes a short string whole', () => {
    // GIVEN a 128-character string (a cluster CRN fits)
    const value = 'c'.repeat(128);
    // WHEN rendered THEN it is quoted whole
    expect(formatValue(value)).toBe(`"${value}"`);
  });

  test('quotes a long string as its first 128 characters and its length', () => {
    // GIVEN a 100,000-character string
    const value = 'a'.repeat(100_000);
    // WHEN rendered
    const shown = formatValue(value);
    // THEN the excerpt ends in an ellipsis and the length
    expect(shown).toBe(`"${'a'.repeat(128)}..." (100000 characters)`);
  });

  test('escapes C0 and C1 control characters and DEL, so a message never drives a terminal', () => {
    // GIVEN a string with ESC, DEL and CSI (U+009B)
    // WHEN rendered
    const shown = formatValue('a\u001b[2Jb\u007fc\u009bd');
    // THEN each is escaped
    expect(shown).toBe('"a\\u001b[2Jb\\u007fc\\u009bd"');
  });

  test('cuts a large object to one short line', () => {
    // GIVEN an object with 10,000 keys of long strings
    const value = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]));
    // WHEN rendered THEN at most 120 characters come out
    expect(formatValue(value).length).toBeLessThanOrEqual(120);
  });

  test('renders 10,000 levels of nesting without a RangeError', () => {
    // GIVEN a list nested 10,000 deep
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    // WHEN rendered THEN the depth is cut
    expect(formatValue(deep)).toBe('[[[[...]]]]');
  });

  test('renders a self-referencing object', () => {
    // GIVEN an object that contains itself
    const looped: Record<string, unknown> = { a: 1 };
    looped.self = looped;
    // WHEN rendered THEN it is cut at the depth limit
    expect(formatValue(looped)).toBe('{"a":1,"self":{"a":1,"self":{"a":1,"self":{...}}}}');
  });

  test('renders small objects and lists as JSON, as before', () => {
    // GIVEN a small object and list
    // WHEN rendered THEN they read as JSON
    expect(formatValue({ namespace: 'payments', name: 'api' })).toBe('{"namespace":"payments","name":"api"}');
    expect(formatValue(['a', 1, null])).toBe('["a",1,null]');
    expect(formatValue(undefined)).toBe('missing');
  });

  test('excerpt counts the length of the whole string', () => {
    // GIVEN a 129-character string
    // WHEN excerpted THEN the length is the whole string's
    expect(excerpt('x'.repeat(129))).toMatch(/\.\.\." \(129 characters\)$/);
  });
});

describe('messages of the model', () => {
  test('a 100,000-character name yields a message of less than 1,000 characters', () => {
    // GIVEN an identity name of 100,000 characters
    // WHEN the identity is built
    const error = captureError(propsWith({ name: 'n'.repeat(100_000), serviceAccount: { namespace: 'payments', name: 'api' } }));
    // THEN the message is short, and names the length
    expect(error).toBeInstanceOf(WorkloadIdentityError);
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toContain('(100000 characters)');
  });

  test('the problem keeps the whole value for programs, only the message is cut', () => {
    // GIVEN a long profile name with a bad character at its end
    const profileName = `${'p'.repeat(500)}$(X)`;
    // WHEN the identity is built
    const error = captureError(propsWith({ profileName }));
    // THEN the problem's value is the value as given
    expect(error.problems[0].value).toBe(profileName);
    expect(() => new WorkloadIdentity(propsWith({ profileName }))).toThrow(/"\$\(".*/);
  });
});

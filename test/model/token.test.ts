import { WorkloadIdentity } from '../../src';
import { expectOneProblem, propsWith } from './fixtures';

/** The declaration with these token settings. */
function withToken(token: Record<string, unknown>) {
  return propsWith({ token });
}

describe('token lifetime', () => {
  test('accepts 600 s, Kubernetes\' minimum', () => {
    // GIVEN expirationSeconds 600
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withToken({ expirationSeconds: 600 }));
    // THEN it is kept
    expect(identity.token.expirationSeconds).toBe(600);
  });

  test('accepts 3600 s, IAM\'s maximum', () => {
    // GIVEN expirationSeconds 3600
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withToken({ expirationSeconds: 3600 }));
    // THEN it is kept
    expect(identity.token.expirationSeconds).toBe(3600);
  });

  test('rejects 599 s, below Kubernetes\' minimum', () => {
    // GIVEN expirationSeconds 599
    // WHEN the identity is built
    // THEN the error names Kubernetes' minimum and the valid range
    expectOneProblem(withToken({ expirationSeconds: 599 }), {
      field: 'token.expirationSeconds',
      shown: '599',
      says: ['Kubernetes refuses projected tokens that live shorter than 600 s', 'set a value from 600 to 3600'],
    });
  });

  test('rejects 3601 s, above IAM\'s maximum', () => {
    // GIVEN expirationSeconds 3601
    // WHEN the identity is built
    // THEN the error names IAM's maximum and the valid range
    expectOneProblem(withToken({ expirationSeconds: 3601 }), {
      field: 'token.expirationSeconds',
      shown: '3601',
      says: ['IAM refuses projected tokens that live longer than 3600 s', 'set a value from 600 to 3600'],
    });
  });

  test('rejects 7200 s and says IAM refuses more than 3600 while Kubernetes\' minimum is 600', () => {
    // GIVEN expirationSeconds 7200 (the Kubernetes default elsewhere is often longer)
    // WHEN the identity is built
    // THEN the error gives both bounds and their owners
    expectOneProblem(withToken({ expirationSeconds: 7200 }), {
      field: 'token.expirationSeconds',
      shown: '7200',
      says: ['IAM refuses projected tokens that live longer than 3600 s', "Kubernetes' minimum is 600", 'set a value from 600 to 3600'],
    });
  });

  test('rejects a fractional lifetime', () => {
    // GIVEN expirationSeconds 900.5
    // WHEN the identity is built
    // THEN the error asks for whole seconds and says the default
    expectOneProblem(withToken({ expirationSeconds: 900.5 }), {
      field: 'token.expirationSeconds',
      shown: '900.5',
      says: ['a whole number of seconds between 600 and 3600', 'leave it out for 3600'],
    });
  });

  test('rejects a lifetime given as a string', () => {
    // GIVEN expirationSeconds "3600"
    // WHEN the identity is built
    // THEN the error asks for whole seconds
    expectOneProblem(withToken({ expirationSeconds: '3600' }), {
      field: 'token.expirationSeconds',
      shown: '"3600"',
      says: ['a whole number of seconds'],
    });
  });
});

describe('token mount path', () => {
  test('accepts another absolute directory and joins the file path', () => {
    // GIVEN mountPath /var/run/secrets/iam and fileName token
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withToken({ mountPath: '/var/run/secrets/iam', fileName: 'token' }));
    // THEN the file path joins them
    expect(identity.token.filePath).toBe('/var/run/secrets/iam/token');
  });

  const FIX = "leave it out for /var/run/secrets/tokens, where IBM's SDKs look";

  test('rejects a relative path', () => {
    // GIVEN mountPath "var/run/secrets/tokens"
    // WHEN the identity is built
    // THEN the error states the rule and the default
    expectOneProblem(withToken({ mountPath: 'var/run/secrets/tokens' }), {
      field: 'token.mountPath',
      shown: '"var/run/secrets/tokens"',
      says: ['the mount path is an absolute directory', FIX],
    });
  });

  test('rejects the root directory', () => {
    // GIVEN mountPath "/"
    // WHEN the identity is built
    // THEN the error says other than "/"
    expectOneProblem(withToken({ mountPath: '/' }), {
      field: 'token.mountPath',
      shown: '"/"',
      says: ['an absolute directory other than "/"', FIX],
    });
  });

  test('rejects a trailing slash', () => {
    // GIVEN mountPath "/var/run/secrets/tokens/"
    // WHEN the identity is built
    // THEN the error mentions the trailing "/"
    expectOneProblem(withToken({ mountPath: '/var/run/secrets/tokens/' }), {
      field: 'token.mountPath',
      shown: '"/var/run/secrets/tokens/"',
      says: ['a trailing "/"', FIX],
    });
  });

  test('rejects a ".." segment', () => {
    // GIVEN mountPath "/var/run/../tokens"
    // WHEN the identity is built
    // THEN the error mentions ".."
    expectOneProblem(withToken({ mountPath: '/var/run/../tokens' }), {
      field: 'token.mountPath',
      shown: '"/var/run/../tokens"',
      says: ['without ".."', FIX],
    });
  });

  test('rejects a ":" in the path', () => {
    // GIVEN mountPath "/var/run:tokens"
    // WHEN the identity is built
    // THEN the error mentions ":"
    expectOneProblem(withToken({ mountPath: '/var/run:tokens' }), {
      field: 'token.mountPath',
      shown: '"/var/run:tokens"',
      says: ['":"'],
    });
  });
});

describe('token file name', () => {
  test('rejects a file name with "/"', () => {
    // GIVEN fileName "tokens/sa-token"
    // WHEN the identity is built
    // THEN the error says it is one path segment and gives the default
    expectOneProblem(withToken({ fileName: 'tokens/sa-token' }), {
      field: 'token.fileName',
      shown: '"tokens/sa-token"',
      says: ['the token file name is one path segment', 'leave it out for "sa-token", where IBM\'s SDKs look'],
    });
  });

  test('rejects ".." as a file name', () => {
    // GIVEN fileName ".."
    // WHEN the identity is built
    // THEN it is reported
    expectOneProblem(withToken({ fileName: '..' }), {
      field: 'token.fileName',
      shown: '".."',
      says: ['one path segment'],
    });
  });

  test('rejects an empty file name', () => {
    // GIVEN fileName ""
    // WHEN the identity is built
    // THEN it is reported
    expectOneProblem(withToken({ fileName: '' }), {
      field: 'token.fileName',
      shown: '""',
      says: ['one path segment of letters, digits, ".", "_" and "-"'],
    });
  });
});

describe('token paths in the pods\' environment', () => {
  test('refuses "$(" in the mount path, which reaches IBMCLOUD_CR_TOKEN and <SERVICE>_CR_TOKEN_FILENAME', () => {
    // GIVEN a mount path with a variable reference
    // WHEN the identity is built
    // THEN token.mountPath is named with the sequence
    expectOneProblem(withToken({ mountPath: '/tokens/$(POD_NAME)' }), {
      field: 'token.mountPath',
      shown: '"/tokens/$(POD_NAME)"',
      says: ['"$("', 'the kubelet expands'],
    });
  });

  test('refuses /tmp as the mount path for every identity, so both sides agree', () => {
    // GIVEN the token mounted at /tmp, where the token-fetch Job keeps its scratch files
    // WHEN the identity is built (before any Job exists)
    // THEN the model refuses it, naming the field and the fix
    expectOneProblem(withToken({ mountPath: '/tmp' }), {
      field: 'token.mountPath',
      shown: '"/tmp"',
      says: ['the token-fetch Job keeps its scratch files in /tmp', 'e.g. the default /var/run/secrets/tokens'],
    });
  });

  test('accepts a directory below /tmp', () => {
    // GIVEN the token mounted at /tmp/tokens
    // WHEN the identity is built THEN the path is kept
    expect(new WorkloadIdentity(withToken({ mountPath: '/tmp/tokens' })).token.filePath).toBe('/tmp/tokens/sa-token');
  });
});

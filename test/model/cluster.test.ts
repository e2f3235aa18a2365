import { CLUSTER_SERVICE_NAME, ClusterKind, parseCrn, WorkloadIdentity, WorkloadIdentityError } from '../../src';
import {
  ACCOUNT_ID,
  captureError,
  expectOneProblem,
  IKS_CLUSTER_ID,
  IKS_CRN,
  propsWith,
  ROKS_CLUSTER_ID,
  ROKS_CRN,
  SECRETS_MANAGER_CRN,
} from './fixtures';

/** The declaration with these clusters. */
function withClusters(clusters: unknown) {
  return propsWith({ clusters });
}

const FIX_CRN = 'copy it from `ibmcloud ks cluster get --cluster <name> --output json` (field "crn")';

describe('valid clusters', () => {
  test('a ROKS cluster is trusted as ROKS_SA', () => {
    // GIVEN a ROKS cluster given by CRN
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withClusters([{ kind: ClusterKind.ROKS, crn: ROKS_CRN }]));
    // THEN its compute-resource type is ROKS_SA and its key the cluster ID
    expect(identity.clusters[0]).toMatchObject({ kind: 'ROKS', crType: 'ROKS_SA', key: ROKS_CLUSTER_ID, clusterId: ROKS_CLUSTER_ID });
  });

  test('a looked-up cluster is keyed by its name or ID and has no cluster ID', () => {
    // GIVEN a cluster found by name in a resource group
    const lookup = { nameOrId: 'payments-prod', resourceGroupId: 'rg-0123' };
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withClusters([{ kind: ClusterKind.IKS, lookup }]));
    // THEN the lookup is kept (as a copy) and Terraform resolves the cluster ID
    expect(identity.clusters[0]).toEqual({
      kind: 'IKS', crType: 'IKS_SA', key: 'payments-prod', crn: undefined, clusterId: undefined, lookup: { ...lookup, infrastructure: 'vpc' },
    });
    expect(identity.clusters[0].lookup).not.toBe(lookup);
  });

  test('an explicit key replaces the default key', () => {
    // GIVEN a cluster with key "prod_1"
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withClusters([{ kind: ClusterKind.IKS, crn: IKS_CRN, key: 'prod_1' }]));
    // THEN the key is kept and the cluster ID is still read from the CRN
    expect(identity.clusters[0].key).toBe('prod_1');
    expect(identity.clusters[0].clusterId).toBe(IKS_CLUSTER_ID);
  });

  test('several distinct clusters keep their order', () => {
    // GIVEN an IKS cluster, a ROKS cluster and a looked-up cluster
    const clusters = [
      { kind: ClusterKind.IKS, crn: IKS_CRN },
      { kind: ClusterKind.ROKS, crn: ROKS_CRN },
      { kind: ClusterKind.IKS, lookup: { nameOrId: 'payments-dr' } },
    ];
    // WHEN the identity is built
    const identity = new WorkloadIdentity(withClusters(clusters));
    // THEN all three are kept in order
    expect(identity.clusters.map((c) => c.key)).toEqual([IKS_CLUSTER_ID, ROKS_CLUSTER_ID, 'payments-dr']);
  });
});

describe('the cluster list', () => {
  test('rejects an empty list', () => {
    // GIVEN clusters []
    // WHEN the identity is built
    // THEN the error says at least one cluster is needed and shows one
    expectOneProblem(withClusters([]), {
      field: 'clusters',
      shown: '[]',
      says: ['needs at least one cluster to trust', 'add { kind: ClusterKind.IKS, crn: "crn:v1:bluemix:public:containers-kubernetes:..." }'],
    });
  });

  test('rejects a missing list', () => {
    // GIVEN no clusters
    // WHEN the identity is built
    // THEN the error shows the value as missing
    expectOneProblem(withClusters(undefined), {
      field: 'clusters',
      shown: 'missing',
      says: ['needs at least one cluster'],
    });
  });

  test('rejects a list that is not an array', () => {
    // GIVEN clusters "payments-prod"
    // WHEN the identity is built
    // THEN the error names the field
    expectOneProblem(withClusters('payments-prod'), {
      field: 'clusters',
      shown: '"payments-prod"',
      says: ['needs at least one cluster'],
    });
  });

  test('rejects an entry that is not an object', () => {
    // GIVEN clusters ["payments-prod"]
    // WHEN the identity is built
    // THEN the error names the entry and both shapes
    expectOneProblem(withClusters(['payments-prod']), {
      field: 'clusters[0]',
      shown: '"payments-prod"',
      says: ['each cluster is an object { kind, crn } or { kind, lookup }'],
    });
  });
});

describe('a cluster', () => {
  test('rejects both crn and lookup', () => {
    // GIVEN a cluster with a crn and a lookup
    const cluster = { kind: ClusterKind.IKS, crn: 'crn-a', lookup: { nameOrId: 'prod' } };
    // WHEN the identity is built
    // THEN the error says to give exactly one and when to use which
    expectOneProblem(withClusters([cluster]), {
      field: 'clusters[0]',
      shown: '{"crn":"crn-a","lookup":{"nameOrId":"prod"}}',
      says: ['give exactly one of crn and lookup', 'use crn when you know it, lookup to let Terraform find the cluster'],
    });
  });

  test('rejects neither crn nor lookup', () => {
    // GIVEN a cluster with only a kind
    // WHEN the identity is built
    // THEN the error says to give exactly one
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS }]), {
      field: 'clusters[0]',
      shown: '{}',
      says: ['give exactly one of crn and lookup'],
    });
  });

  test('rejects an unknown kind', () => {
    // GIVEN kind "iks" (lower case)
    // WHEN the identity is built
    // THEN the error names both kinds
    expectOneProblem(withClusters([{ kind: 'iks', crn: IKS_CRN }]), {
      field: 'clusters[0].kind',
      shown: '"iks"',
      says: ['ClusterKind.IKS ("IKS") or ClusterKind.ROKS ("ROKS")'],
    });
  });

  test('rejects a lookup without nameOrId', () => {
    // GIVEN lookup {}
    // WHEN the identity is built
    // THEN the error says to set lookup.nameOrId
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, lookup: {} }]), {
      field: 'clusters[0].lookup.nameOrId',
      shown: 'missing',
      says: ["a cluster lookup needs the cluster's name or ID", 'set lookup.nameOrId'],
    });
  });

  test('rejects a lookup whose nameOrId is blank', () => {
    // GIVEN lookup { nameOrId: "  " }
    // WHEN the identity is built
    // THEN the error says to set lookup.nameOrId
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, lookup: { nameOrId: '  ' } }]), {
      field: 'clusters[0].lookup.nameOrId',
      shown: '"  "',
      says: ['set lookup.nameOrId'],
    });
  });

  // BUG (src/model/cluster.ts:99, resolveClusters): `typeof null === 'object'`, so `lookup: null` passes the
  // object check and `lookup.nameOrId` throws "TypeError: Cannot read properties of null"
  // instead of a WorkloadIdentityError (the `lookup && ...` on the same line shows null was meant
  // to be handled).
  test('rejects a null lookup with a WorkloadIdentityError', () => {
    // GIVEN lookup null, as JSON input can give
    // WHEN the identity is built
    const build = () => new WorkloadIdentity(withClusters([{ kind: ClusterKind.IKS, lookup: null }]));
    // THEN it fails validation on lookup.nameOrId
    expect(build).toThrow(WorkloadIdentityError);
  });

  test('rejects a key with a space', () => {
    // GIVEN key "payments prod"
    // WHEN the identity is built
    // THEN the error states the key rule and why
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn: IKS_CRN, key: 'payments prod' }]), {
      field: 'clusters[0].key',
      shown: '"payments prod"',
      says: ['letters, digits, "-" and "_", starting with a letter or digit', 'part of Terraform logical IDs'],
    });
  });

  test('rejects a key starting with "-"', () => {
    // GIVEN key "-prod"
    // WHEN the identity is built
    // THEN the error names the key
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn: IKS_CRN, key: '-prod' }]), {
      field: 'clusters[0].key',
      shown: '"-prod"',
      says: ['starting with a letter or digit'],
    });
  });
});

describe('a cluster CRN', () => {
  test('rejects a CRN with the wrong number of segments', () => {
    // GIVEN a CRN cut after the cluster ID (8 segments)
    const crn = `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${ACCOUNT_ID}:${IKS_CLUSTER_ID}`;
    // WHEN the identity is built
    // THEN the error gives the expected shape, the count and where to copy the CRN from
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ["a CRN has 10 ':'-separated segments", 'this one has 8', FIX_CRN],
    });
  });

  test('rejects a CRN that does not start with crn:v1', () => {
    // GIVEN a crn:v2 CRN
    const crn = IKS_CRN.replace('crn:v1:', 'crn:v2:');
    // WHEN the identity is built
    // THEN the error says how a CRN starts
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ['a CRN starts with "crn:v1:"', FIX_CRN],
    });
  });

  test('rejects the CRN of another service, such as a Secrets Manager instance', () => {
    // GIVEN a Secrets Manager CRN
    // WHEN the identity is built
    // THEN the error names both service names and says to use the cluster's CRN
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn: SECRETS_MANAGER_CRN }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(SECRETS_MANAGER_CRN),
      says: [
        'a cluster CRN has service name "containers-kubernetes", this one has "secrets-manager"',
        "use the cluster's CRN, not another resource's",
      ],
    });
  });

  test('rejects a CRN with an empty cluster-ID segment', () => {
    // GIVEN a cluster CRN whose 8th segment is empty
    const crn = `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${ACCOUNT_ID}:::`;
    // WHEN the identity is built
    // THEN the error names the 8th segment
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ['names the cluster ID in its 8th segment, this one is empty', 'copy the full CRN of the cluster'],
    });
  });

  test('rejects a CRN with an empty cloud-name segment', () => {
    // GIVEN a CRN without cname
    const crn = IKS_CRN.replace(':bluemix:', '::');
    // WHEN the identity is built
    // THEN the error says segments 3 to 6 must not be empty
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ['segments 3 to 6 must not be empty'],
    });
  });

  test('rejects a CRN with whitespace inside', () => {
    // GIVEN a CRN with a space in the cluster ID
    const crn = IKS_CRN.replace(IKS_CLUSTER_ID, `${IKS_CLUSTER_ID} `);
    // WHEN the identity is built
    // THEN the error says a CRN has no whitespace
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ['a CRN contains no whitespace', FIX_CRN],
    });
  });

  test('rejects a CRN with a trailing newline', () => {
    // GIVEN a CRN pasted with its newline
    const crn = `${IKS_CRN}\n`;
    // WHEN the identity is built
    // THEN the error says a CRN has no whitespace
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: ['a CRN contains no whitespace'],
    });
  });

  test('rejects a CRN with a leading space', () => {
    // GIVEN a CRN with a leading space
    const crn = ` ${IKS_CRN}`;
    // WHEN the identity is built
    // THEN the CRN is rejected
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn }]), {
      field: 'clusters[0].crn',
      shown: JSON.stringify(crn),
      says: [FIX_CRN],
    });
  });

  test('rejects a CRN that is not a string', () => {
    // GIVEN crn 42
    // WHEN the identity is built
    // THEN the error says a CRN is a string
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, crn: 42 }]), {
      field: 'clusters[0].crn',
      shown: '42',
      says: ['a CRN is a string'],
    });
  });
});

describe('duplicate clusters', () => {
  test('the same CRN twice is rejected as a duplicate of the first', () => {
    // GIVEN one cluster CRN listed twice
    const clusters = [{ kind: ClusterKind.IKS, crn: IKS_CRN }, { kind: ClusterKind.IKS, crn: IKS_CRN }];
    // WHEN the identity is built
    // THEN the second entry is reported, naming the first and its key
    expectOneProblem(withClusters(clusters), {
      field: 'clusters[1]',
      shown: JSON.stringify(IKS_CRN),
      says: [`it duplicates clusters[0] (same key "${IKS_CLUSTER_ID}")`, 'remove the duplicate binding'],
    });
  });

  test('the same CRN under two keys is rejected as a duplicate CRN', () => {
    // GIVEN one cluster CRN listed twice with different keys
    const clusters = [
      { kind: ClusterKind.IKS, crn: IKS_CRN, key: 'prod' },
      { kind: ClusterKind.IKS, crn: IKS_CRN, key: 'prod-again' },
    ];
    // WHEN the identity is built
    // THEN the second CRN is reported, naming the first
    expectOneProblem(withClusters(clusters), {
      field: 'clusters[1].crn',
      shown: JSON.stringify(IKS_CRN),
      says: ['it duplicates clusters[0].crn', 'remove the duplicate binding'],
    });
  });

  test('two clusters with the same key are rejected', () => {
    // GIVEN two different clusters both keyed "prod"
    const clusters = [
      { kind: ClusterKind.IKS, crn: IKS_CRN, key: 'prod' },
      { kind: ClusterKind.ROKS, crn: ROKS_CRN, key: 'prod' },
    ];
    // WHEN the identity is built
    // THEN the second is reported, naming the key
    expectOneProblem(withClusters(clusters), {
      field: 'clusters[1]',
      shown: JSON.stringify(ROKS_CRN),
      says: ['it duplicates clusters[0] (same key "prod")'],
    });
  });

  test('two lookups of the same name are rejected', () => {
    // GIVEN the same cluster name looked up twice
    const clusters = [
      { kind: ClusterKind.IKS, lookup: { nameOrId: 'payments-prod' } },
      { kind: ClusterKind.IKS, lookup: { nameOrId: 'payments-prod' } },
    ];
    // WHEN the identity is built
    // THEN the second is reported
    expectOneProblem(withClusters(clusters), {
      field: 'clusters[1]',
      shown: '{"nameOrId":"payments-prod"}',
      says: ['same key "payments-prod"'],
    });
  });

  test('each bad cluster is reported, not only the first', () => {
    // GIVEN a bad kind in one cluster and a bad CRN in another
    const clusters = [{ kind: 'GKE', crn: IKS_CRN }, { kind: ClusterKind.ROKS, crn: SECRETS_MANAGER_CRN }];
    // WHEN the identity is built
    const error = captureError(withClusters(clusters));
    // THEN both are reported
    expect(error.problems.map((p) => p.field)).toEqual(['clusters[0].kind', 'clusters[1].crn']);
  });
});

describe('parseCrn', () => {
  test('splits a cluster CRN into its named segments', () => {
    // GIVEN an IKS cluster CRN
    // WHEN it is parsed
    const parsed = parseCrn(IKS_CRN);
    // THEN each segment is named
    expect(parsed).toEqual({
      cname: 'bluemix',
      ctype: 'public',
      serviceName: CLUSTER_SERVICE_NAME,
      location: 'us-south',
      scope: `a/${ACCOUNT_ID}`,
      serviceInstance: IKS_CLUSTER_ID,
      resourceType: '',
      resource: '',
    });
  });

  test('returns a sentence for a malformed CRN', () => {
    // GIVEN a string that is not a CRN
    // WHEN it is parsed
    const parsed = parseCrn('payments-prod');
    // THEN the result says what is wrong
    expect(parsed).toBe(
      "a CRN has 10 ':'-separated segments (crn:v1:<cname>:<ctype>:<service-name>:<location>:<scope>:<service-instance>:<resource-type>:<resource>), this one has 1",
    );
  });
});

describe('a lookup\'s infrastructure', () => {
  test('defaults to vpc, the data source the library used before classic clusters', () => {
    // GIVEN a lookup without infrastructure
    const identity = new WorkloadIdentity(withClusters([{ kind: ClusterKind.IKS, lookup: { nameOrId: 'payments-prod' } }]));
    // THEN the validated lookup says vpc
    expect(identity.clusters[0].lookup?.infrastructure).toBe('vpc');
  });

  test('keeps classic when given', () => {
    // GIVEN a classic lookup
    const identity = new WorkloadIdentity(withClusters([{ kind: ClusterKind.ROKS, lookup: { nameOrId: 'payments-dal10', infrastructure: 'classic' } }]));
    // THEN it stays classic
    expect(identity.clusters[0].lookup?.infrastructure).toBe('classic');
  });

  test('is the only key a lookup takes besides nameOrId and resourceGroupId', () => {
    // GIVEN a lookup with a region
    // THEN the unknown key is named, with the known ones
    expectOneProblem(withClusters([{ kind: ClusterKind.IKS, key: 'k', lookup: { nameOrId: 'c', region: 'us-south' } }]), {
      field: 'clusters[0].lookup.region',
      shown: '"us-south"',
      says: ['unknown key; a cluster lookup has nameOrId, resourceGroupId, infrastructure'],
    });
  });
});

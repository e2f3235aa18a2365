// Generates a platform repo's declarations in memory: N identities in the shape of
// examples/platform/identities.yaml, deterministic, spread over one namespace per 20 identities.
'use strict';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
/** Identities per namespace: a team's namespace holds about this many workloads. */
const PER_NAMESPACE = 20;

const CLUSTERS = {
  iks: [{ kind: 'IKS', crn: `crn:v1:bluemix:public:containers-kubernetes:us-south:a/${ACCOUNT}:cq5l0v8d0h4b7f3kq2pg::`, key: 'iks-prod-us-south' }],
  roks: [{ kind: 'ROKS', crn: `crn:v1:bluemix:public:containers-kubernetes:eu-de:a/${ACCOUNT}:cr7m1w9e1i5c8g4lr3qh::`, key: 'roks-prod-eu-de' }],
};

function guid(i, salt) {
  const hex = ((i + 1) * 2654435761 + salt * 40503).toString(16).padStart(12, '0').slice(-12);
  return `5a4e5e2c-8f3b-4d8e-${(salt % 10000).toString().padStart(4, '0')}-${hex}`;
}

/**
 * `{ identities: [...] }` with `n` entries. Every tenth identity runs on OpenShift, every
 * twentieth of those with claim-rule trust; each has two policies (a Secrets Manager reader and
 * a bucket writer), two SDK services and a workload.
 */
function generateDeclarations(n) {
  const identities = [];
  for (let i = 0; i < n; i++) {
    const team = `team-${String(Math.floor(i / PER_NAMESPACE)).padStart(3, '0')}`;
    const name = `${team}-app-${String(i % PER_NAMESPACE).padStart(2, '0')}`;
    const roks = i % 10 === 9;
    identities.push({
      name,
      description: `Workload identity for ${team}/${name}`,
      serviceAccount: { namespace: team },
      clusters: roks ? CLUSTERS.roks : CLUSTERS.iks,
      ...(roks && i % 20 === 19 ? { trust: 'claim-rule' } : {}),
      policies: [
        {
          name: 'read-secrets',
          roles: ['SecretsReader'],
          resources: { service: 'secrets-manager', resourceInstanceId: guid(i, 1) },
        },
        {
          name: 'write-bucket',
          roles: ['Writer'],
          resources: { service: 'cloud-object-storage', resourceInstanceId: guid(i, 2), resourceType: 'bucket', resource: `${name}-data` },
        },
      ],
      sdkServices: ['secrets_manager', 'cloud-object-storage'],
      workload: { image: `icr.io/${team}/app-${String(i % PER_NAMESPACE).padStart(2, '0')}:1.${i % 7}.0`, replicas: 2, port: 8080 },
    });
  }
  return { identities };
}

/**
 * `{ identities: [...] }` with `n` entries in the shape a platform of 10,000 workloads must take
 * in one IAM account (2,000 trusted profiles and about 4,000 policies at most): each team's
 * workloads attach to the team's existing trusted profile, and get their access through the
 * team's access group, not policies of their own. Otherwise as `generateDeclarations`.
 */
function generatePlatformScaleDeclarations(n) {
  const { identities } = generateDeclarations(n);
  return {
    identities: identities.map(({ description, policies, trust, ...entry }, i) => {
      const team = Math.floor(i / PER_NAMESPACE);
      const salt = String(team % 10000).padStart(4, '0');
      const id = `${(team * 2654435761).toString(16).padStart(8, '0').slice(-8)}-0000-4000-8000-${salt.padStart(12, '0')}`;
      return {
        ...entry,
        existingProfile: { name: `team-${String(team).padStart(3, '0')}-workloads`, id: `Profile-${id}` },
        accessGroups: [`AccessGroup-${id}`],
      };
    }),
  };
}

module.exports = { generateDeclarations, generatePlatformScaleDeclarations, PER_NAMESPACE };

// Identities declared as data (a platform repo's YAML or JSON file, parsed by the caller), checked
// at once: every problem of every entry and between entries, naming the file, entry and field.
import { checkAccountLimits } from '../model/account-limits';
import { ClusterLookup, ClusterProps } from '../model/cluster';
import { formatValue, ValidationProblem, WorkloadIdentityError } from '../model/errors';
import { IamEndpoint } from '../model/iam-endpoint';
import { AccessPolicyProps, PolicyResourceAttribute, PolicyResources, PolicyResourceTag, PolicyRuleCondition } from '../model/policy';
import { TokenProps } from '../model/token';
import { ExistingProfile, RuleAcknowledgement, ServiceAccountRef, WorkloadIdentity, WorkloadIdentityProps } from '../model/workload-identity';

/** A problem in a declarations file: a `ValidationProblem` that also knows its file and entry. */
export interface DeclarationProblem extends ValidationProblem {
  /** The file (or other source) the data came from, as given to the loader. */
  readonly source: string;
  /** The entry's position in `identities`; -1 for the file as a whole. */
  readonly index: number;
}

/** Renders `<source>: identities[<index>] ("<name>"): <field> is <value>; <rule and fix>`. */
export function formatDeclarationProblem(p: DeclarationProblem): string {
  const where = p.index < 0 ? '' : `identities[${p.index}] (${p.identity === '(unnamed)' ? 'unnamed' : JSON.stringify(p.identity)}): `;
  return `${p.source}: ${where}${p.field} is ${formatValue(p.value)}; ${p.message}`;
}

/** Thrown when a declarations file has problems; its message lists every one, a line each. */
export class DeclarationError extends WorkloadIdentityError {
  declare public readonly problems: readonly DeclarationProblem[];

  constructor(problems: readonly DeclarationProblem[]) {
    super(problems);
    const lines = problems.map(formatDeclarationProblem);
    this.message = lines.length === 1 ? lines[0] : `${lines.length} problems:\n  ${lines.join('\n  ')}`;
    this.name = 'DeclarationError';
  }
}

/** A problem an extra key's check reports; `field` is relative to the key (`""` for the key itself). */
export interface ExtraKeyProblem { readonly field: string; readonly value: unknown; readonly message: string }

/** Checks the value of an extra key of one entry; the whole entry is passed for context. */
export type ExtraKeyCheck = (value: unknown, entry: Readonly<Record<string, unknown>>) => readonly ExtraKeyProblem[];

export interface DeclarationsOptions {
  /**
   * Keys an entry may carry besides the identity's own, for the app that reads the file (for
   * example `workload: { image }`), each with its check. Any other key is reported as unknown.
   * @default - none
   */
  readonly extraKeys?: Readonly<Record<string, ExtraKeyCheck>>;
}

/** One entry of a declarations file: the validated identity and the entry's extra keys. */
export interface IdentityDeclaration {
  readonly identity: WorkloadIdentity;
  /** The entry's position in `identities`. */
  readonly index: number;
  /** The values of the entry's extra keys (`DeclarationsOptions.extraKeys`) that it sets. */
  readonly extra: Readonly<Record<string, unknown>>;
}

// The keys an entry may have, as nested shapes: `true` takes any value (the model checks it),
// an object lists the keys of an object, a one-element array the shape of each item. Typed
// against the props, so a field added to the model fails to compile until it is listed here.
type Shape = true | { readonly [key: string]: Shape } | readonly [Shape];
type Keys<T> = { readonly [K in keyof Required<T>]: Shape };
const CONDITION = [{ name: true, value: true, operator: true } satisfies Keys<PolicyResourceAttribute> & Keys<PolicyResourceTag>] as const;
const SERVICE_ACCOUNT = { namespace: true, name: true } satisfies Keys<ServiceAccountRef>;
const ENTRY: Keys<WorkloadIdentityProps> = {
  name: true,
  profileName: true,
  description: true,
  serviceAccount: SERVICE_ACCOUNT,
  additionalServiceAccounts: [SERVICE_ACCOUNT],
  existingProfile: { name: true, id: true } satisfies Keys<ExistingProfile>,
  clusters: [{ kind: true, crn: true, key: true, lookup: { nameOrId: true, resourceGroupId: true, infrastructure: true } satisfies Keys<ClusterLookup> } satisfies Keys<ClusterProps>],
  trust: true,
  restrictClaimRulesToClusters: true,
  accessGroups: true,
  policies: [{
    name: true, roles: true, description: true, accountManagement: true, resourceAttributes: CONDITION, resourceTags: CONDITION,
    resources: {
      service: true, resourceInstanceId: true, region: true, resourceType: true, resource: true,
      resourceGroupId: true, serviceType: true, serviceGroupId: true, attributes: true,
    } satisfies Keys<PolicyResources>,
    ruleConditions: [{ key: true, operator: true, value: true } satisfies Keys<PolicyRuleCondition>],
    ruleOperator: true,
    pattern: true,
  } satisfies Keys<AccessPolicyProps>],
  token: { expirationSeconds: true, mountPath: true, fileName: true } satisfies Keys<TokenProps>,
  iamEndpoint: true,
  sdkServices: true,
  acknowledgements: [{ ruleId: true, reason: true } satisfies Keys<RuleAcknowledgement>],
};

/**
 * Builds every identity declared in `data`, the parsed content of a declarations file:
 * `{ identities: [ { name, serviceAccount, clusters, ... }, ... ] }`, with the fields of
 * `WorkloadIdentityProps` as plain data (`kind: IKS | ROKS`, `trust: link | claim-rule`,
 * `iamEndpoint: public | private | https://...`). Top-level keys starting with `x-` are ignored,
 * so YAML anchors can live there.
 *
 * Throws a `DeclarationError` listing every problem: those of each entry (including unknown
 * keys, such as a misspelt `namesapce`) and those between entries (two identities with one
 * name, one profile name, or one service account).
 *
 * @param source names the data in messages, e.g. the file's path
 */
export function declarationsFromData(data: unknown, source: string, options: DeclarationsOptions = {}): IdentityDeclaration[] {
  const problems: DeclarationProblem[] = [];
  const add = (index: number, identity: string, field: string, value: unknown, message: string) =>
    problems.push({ source, index, identity, field, value, message });
  const extraKeys = options.extraKeys ?? {};

  const top = isObject(data) ? data : undefined;
  if (!top || !Array.isArray(top.identities)) {
    add(-1, '(file)', 'identities', top ? top.identities : data, 'a declarations file holds a list of identities: "identities: [ { name, serviceAccount, clusters, ... } ]"');
    throw new DeclarationError(problems);
  }
  for (const key of Object.keys(top)) {
    if (key !== 'identities' && !key.startsWith('x-')) {
      add(-1, '(file)', key, top[key], `the file has one top-level key, "identities" (and "x-..." keys for YAML anchors)${suggestion(key, ['identities'])}`);
    }
  }

  const declarations: IdentityDeclaration[] = [];
  const claimed: Claimed = { name: new Map(), createdProfile: new Map(), existingProfile: new Map(), serviceAccount: new Map() };
  top.identities.forEach((entry: unknown, index: number) => {
    if (!isObject(entry)) {
      add(index, '(unnamed)', 'entry', entry, 'each identity is an object { name, serviceAccount, clusters, ... }');
      return;
    }
    const label = typeof entry.name === 'string' && entry.name !== '' ? entry.name : '(unnamed)';
    const here = (field: string, value: unknown, message: string) => add(index, label, field, value, message);
    const props: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (Object.hasOwn(extraKeys, key)) {
        extra[key] = value;
        for (const p of extraKeys[key](value, entry)) here(p.field ? `${key}.${p.field}` : key, p.value, p.message);
      } else if (Object.hasOwn(ENTRY, key)) {
        checkKeys(ENTRY[key as keyof WorkloadIdentityProps], value, key, here);
        props[key] = value;
      } else {
        here(key, value, `unknown key${suggestion(key, [...Object.keys(ENTRY), ...Object.keys(extraKeys)])}`);
      }
    }
    if (entry.iamEndpoint !== undefined) {
      const url = entry.iamEndpoint;
      props.iamEndpoint = url === 'public' ? IamEndpoint.PUBLIC : url === 'private' ? IamEndpoint.PRIVATE
        : typeof url === 'string' && url.startsWith('https://') ? IamEndpoint.fromUrl(url) : undefined;
      if (props.iamEndpoint === undefined) {
        here('iamEndpoint', url, 'the IAM endpoint is "public", "private" (https://private.iam.cloud.ibm.com) or an https:// base URL');
      }
    }

    checkAgainstEarlierEntries(entry, index, claimed, here);

    try {
      declarations.push({ identity: new WorkloadIdentity(props as unknown as WorkloadIdentityProps), index, extra });
    } catch (e) {
      if (!(e instanceof WorkloadIdentityError)) throw e;
      for (const p of e.problems) here(p.field, p.value, p.message);
    }
  });
  checkAccountLimits(declarations.map((d) => d.identity), { onError: (f) => add(-1, '(file)', 'identities', f.count, `IAM account limit: ${f.message}`) });
  if (problems.length > 0) throw new DeclarationError(problems);
  return declarations;
}

/** The identities declared in `data`; see `declarationsFromData`. */
export function identitiesFromData(data: unknown, source: string, options?: DeclarationsOptions): WorkloadIdentity[] {
  return declarationsFromData(data, source, options).map((d) => d.identity);
}

/** Reports keys of `value` that `shape` does not know, with their full path. */
function checkKeys(shape: Shape, value: unknown, field: string, report: (field: string, value: unknown, message: string) => void): void {
  if (shape === true) return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkKeys(shape[0], item, `${field}[${i}]`, report));
    return;
  }
  const known = shape as { readonly [key: string]: Shape };
  for (const [key, v] of isObject(value) ? Object.entries(value) : []) {
    if (Object.hasOwn(known, key)) checkKeys(known[key], v, `${field}.${key}`, report);
    else report(`${field}.${key}`, v, `unknown key${suggestion(key, Object.keys(known))}`);
  }
}

/** What earlier entries hold, by value: the first entry that holds it. */
type Claimed = Readonly<Record<'name' | 'createdProfile' | 'existingProfile' | 'serviceAccount', Map<string, number>>>;

/**
 * A name, a created trusted profile's name and a service account each belong to one entry
 * (several entries may attach to one existing profile). What follows from a repeated name (the
 * default profile and service-account names) is reported once, as the repeated name.
 */
function checkAgainstEarlierEntries(entry: Record<string, any>, index: number, claimed: Claimed, report: (field: string, value: unknown, message: string) => void): void {
  const first = (seen: Map<string, number>, value: unknown, record = true): number | undefined => {
    const at = typeof value === 'string' ? seen.get(value) : undefined;
    if (at === undefined && record && typeof value === 'string') seen.set(value, index);
    return at;
  };
  const sameName = first(claimed.name, entry.name);
  if (sameName !== undefined) {
    report('name', entry.name, `identities[${sameName}] has the same name; the name names the Kubernetes objects and Terraform resources, so give each identity its own`);
  }
  const existing = isObject(entry.existingProfile) ? entry.existingProfile.name : undefined;
  const created = existing === undefined ? entry.profileName ?? entry.name : undefined;
  // A created profile collides with any earlier one; an existing one only with a created one.
  const sameProfile = created !== undefined
    ? first(claimed.existingProfile, created, false) ?? first(claimed.createdProfile, created)
    : first(claimed.createdProfile, existing, false);
  if (existing !== undefined) first(claimed.existingProfile, existing);
  if (sameProfile !== undefined && (sameName === undefined || entry.profileName !== undefined || existing !== undefined)) {
    const field = existing !== undefined ? 'existingProfile.name' : entry.profileName === undefined ? 'name' : 'profileName';
    report(field, created ?? existing, `identities[${sameProfile}] has the same trusted profile name; an identity creates its profile, whose name is unique in the account, so set another profileName (or let both use an existingProfile)`);
  }
  const accounts = [entry.serviceAccount, ...(Array.isArray(entry.additionalServiceAccounts) ? entry.additionalServiceAccounts : [])];
  accounts.forEach((sa, i) => {
    if (!isObject(sa) || typeof sa.namespace !== 'string') return;
    const name = sa.name ?? entry.name;
    const other = first(claimed.serviceAccount, typeof name === 'string' ? `${sa.namespace}/${name}` : undefined);
    if (other !== undefined && other !== index && (sameName === undefined || sa.name !== undefined)) {
      report(i === 0 ? 'serviceAccount' : `additionalServiceAccounts[${i - 1}]`, { namespace: sa.namespace, name }, `identities[${other}] trusts the same namespace and service account; a pod runs as one service account, which takes on one identity, so use another service account`);
    }
  });
}

const isObject = (value: unknown): value is Record<string, any> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** `; did you mean "namespace"?` for the closest known key within two edits, else `; known keys: ...`. */
function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined ? `; did you mean "${best}"?` : `; the known keys are ${known.join(', ')}`;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

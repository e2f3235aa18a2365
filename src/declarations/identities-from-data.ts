// Identities declared as data (a platform repo's YAML or JSON file, parsed by the caller), checked
// at once: every problem of every entry and between entries, naming the file, entry and field.
import { checkAccountLimits } from '../model/account-limits';
import { ClusterKind, ClusterLookup, ClusterProps } from '../model/cluster';
import { excerpt, formatValue, ValidationProblem, WorkloadIdentityError } from '../model/errors';
import { IamEndpoint } from '../model/iam-endpoint';
import { TokenProps } from '../model/token';
import { TextLanding } from '../model/text-policy';
import { ExistingProfile, RuleAcknowledgement, ServiceAccountRef, TrustMode, WorkloadIdentity, WorkloadIdentityProps } from '../model/workload-identity';
import { expandPolicies, fieldInFile, POLICY_ITEM, PolicyOrigin } from './policies-from-data';
import { boolean, conform, fieldOf, integer, isObject, list, object, ObjectShape, oneOf, requiredOf, Shape, sizeProblem, suggestion, text } from './shape';

/** A problem in a declarations file: a `ValidationProblem` that also knows its file and entry. */
export interface DeclarationProblem extends ValidationProblem {
  /** The file (or other source) the data came from, as given to the loader. */
  readonly source: string;
  /** The entry's position in `identities`; -1 for the file as a whole. */
  readonly index: number;
}

/** Renders `<source>: identities[<index>] ("<name>"): <field> is <value>; <rule and fix>`. */
export function formatDeclarationProblem(p: DeclarationProblem): string {
  const where = p.index < 0 ? '' : `identities[${p.index}] (${p.identity === '(unnamed)' ? 'unnamed' : excerpt(p.identity)}): `;
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
  /**
   * Extra keys every entry must carry: an entry without one gets its check called with
   * `undefined`, which reports what is missing.
   * @default - none
   */
  readonly requiredExtraKeys?: readonly string[];
}

/** One entry of a declarations file: the validated identity and the entry's extra keys. */
export interface IdentityDeclaration {
  readonly identity: WorkloadIdentity;
  /** The entry's position in `identities`. */
  readonly index: number;
  /** The values of the entry's extra keys (`DeclarationsOptions.extraKeys`) that it sets. */
  readonly extra: Readonly<Record<string, unknown>>;
}

// The types of an entry's values, at every depth. Typed against the props, so a field added to
// the model fails to compile until it is listed here. Each string says where it lands, which
// decides what the text policy refuses in it (src/model/text-policy.ts).
type Keys<T> = { readonly [K in keyof Required<T>]: Shape };
const NAME = text(TextLanding.KUBELET_AND_TERRAFORM);
const TERRAFORM = text(TextLanding.TERRAFORM_NAME);
const KUBELET = text(TextLanding.KUBELET);
const FREE_TEXT = text(TextLanding.FREE_TEXT);
const SERVICE_ACCOUNT = object({ namespace: NAME, name: NAME } satisfies Keys<ServiceAccountRef>, { modelRequires: requiredOf<ServiceAccountRef>()(['namespace']) });
const ENTRY_KEYS: Keys<WorkloadIdentityProps> = {
  name: NAME,
  profileName: NAME,
  description: FREE_TEXT,
  serviceAccount: SERVICE_ACCOUNT,
  additionalServiceAccounts: list(SERVICE_ACCOUNT),
  existingProfile: object({ name: NAME, id: TERRAFORM } satisfies Keys<ExistingProfile>, { modelRequires: requiredOf<ExistingProfile>()(['name']) }),
  clusters: list(object({
    kind: oneOf(ClusterKind.IKS, ClusterKind.ROKS),
    crn: TERRAFORM,
    key: TERRAFORM,
    lookup: object({ nameOrId: TERRAFORM, resourceGroupId: TERRAFORM, infrastructure: oneOf('vpc', 'classic') } satisfies Keys<ClusterLookup>, { modelRequires: requiredOf<ClusterLookup>()(['nameOrId']) }),
  } satisfies Keys<ClusterProps>, { modelRequires: requiredOf<ClusterProps>()(['kind']) })),
  trust: oneOf(TrustMode.LINK, TrustMode.CLAIM_RULE),
  restrictClaimRulesToClusters: boolean,
  accessGroups: list(TERRAFORM),
  // A policy, or a preset's options (`preset: secretsManagerRead`); either may have timeConditions.
  policies: list(POLICY_ITEM),
  token: object({ expirationSeconds: integer, mountPath: KUBELET, fileName: KUBELET } satisfies Keys<TokenProps>),
  // "public", "private" or an https:// URL, which reaches the pods' environment.
  iamEndpoint: KUBELET,
  sdkServices: list(KUBELET),
  acknowledgements: list(object({ ruleId: TERRAFORM, reason: FREE_TEXT } satisfies Keys<RuleAcknowledgement>, { modelRequires: requiredOf<RuleAcknowledgement>()(['ruleId', 'reason']) })),
};
const ENTRY = object(ENTRY_KEYS, { modelRequires: requiredOf<WorkloadIdentityProps>()(['name', 'serviceAccount', 'clusters']) });

/** The shape of one entry, as the loader checks it (the JSON Schema is generated from it). */
export const ENTRY_SHAPE: ObjectShape = ENTRY;

/**
 * Builds every identity declared in `data`, the parsed content of a declarations file:
 * `{ identities: [ { name, serviceAccount, clusters, ... }, ... ] }`, with the fields of
 * `WorkloadIdentityProps` as plain data (`kind: IKS | ROKS`, `trust: link | claim-rule`,
 * `iamEndpoint: public | private | https://...`). Top-level keys starting with `x-` are ignored,
 * so YAML anchors can live there.
 *
 * Throws a `DeclarationError` listing every problem: those of each entry (a value of the wrong
 * type at any depth, text the place it lands would expand or that holds control characters,
 * unknown keys such as a misspelt `namesapce`, and every rule of the model) and those between
 * entries (two identities with one name, one profile name, or one service account). Data nested
 * deeper than 64 levels or holding more than a million values is refused before it is walked.
 * It throws nothing else for JSON-shaped data; docs/data-file.md lists every key and rule.
 *
 * @param source names the data in messages, e.g. the file's path
 */
export function declarationsFromData(data: unknown, source: string, options: DeclarationsOptions = {}): IdentityDeclaration[] {
  const problems: DeclarationProblem[] = [];
  const add = (index: number, identity: string, field: string, value: unknown, message: string) =>
    problems.push({ source, index, identity, field, value, message });
  const extraKeys = options.extraKeys ?? {};

  // Bounded before anything walks the data recursively: a 10,000-deep nesting or an alias bomb
  // gets one clear problem, not a RangeError or minutes of CPU.
  const tooBig = sizeProblem(data);
  if (tooBig) {
    add(-1, '(file)', tooBig.field, undefined, tooBig.message);
    throw new DeclarationError(problems);
  }

  const top = isObject(data) ? data : undefined;
  if (!top || !Array.isArray(top.identities)) {
    add(-1, '(file)', 'identities', top ? top.identities : data, 'a declarations file holds a list of identities: "identities: [ { name, serviceAccount, clusters, ... } ]"');
    throw new DeclarationError(problems);
  }
  for (const key of Object.keys(top)) {
    if (key !== 'identities' && !key.startsWith('x-')) {
      add(-1, '(file)', fieldOf('', key), top[key], `the file has one top-level key, "identities" (and "x-..." keys for YAML anchors)${suggestion(key, ['identities'])}`);
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
    // Fields already reported here: the model's problems about them (or inside or above them)
    // would only say the same again.
    const reported: string[] = [];
    const here = (field: string, value: unknown, message: string) => {
      reported.push(field);
      add(index, label, field, value, message);
    };
    const identityKeys: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (Object.hasOwn(extraKeys, key)) {
        extra[key] = value;
        for (const p of extraKeys[key](value, entry)) here(p.field ? `${key}.${p.field}` : key, p.value, p.message);
      } else if (Object.hasOwn(ENTRY_KEYS, key)) {
        identityKeys[key] = value;
      } else {
        here(fieldOf('', key), value, `unknown key${suggestion(key, [...Object.keys(ENTRY_KEYS), ...Object.keys(extraKeys)])}`);
      }
    }
    for (const key of options.requiredExtraKeys ?? []) {
      if (!Object.hasOwn(entry, key) && Object.hasOwn(extraKeys, key)) {
        for (const p of extraKeys[key](undefined, entry)) here(p.field ? `${key}.${p.field}` : key, p.value, p.message);
      }
    }
    const props = conform(ENTRY, identityKeys, '', here) as Record<string, unknown>;
    if (typeof props.iamEndpoint === 'string') {
      const url = props.iamEndpoint;
      props.iamEndpoint = url === 'public' ? IamEndpoint.PUBLIC : url === 'private' ? IamEndpoint.PRIVATE
        : url.startsWith('https://') ? IamEndpoint.fromUrl(url) : undefined;
      if (props.iamEndpoint === undefined) {
        here('iamEndpoint', url, 'the IAM endpoint is "public", "private" (https://private.iam.cloud.ibm.com) or an https:// base URL');
      }
    }

    let origins: PolicyOrigin[] = [];
    if (Array.isArray(props.policies)) ({ policies: props.policies, origins } = expandPolicies(props.policies, here));

    checkAgainstEarlierEntries(props, index, claimed, here);

    try {
      declarations.push({ identity: new WorkloadIdentity(props as unknown as WorkloadIdentityProps), index, extra });
    } catch (e) {
      if (!(e instanceof WorkloadIdentityError)) throw e;
      for (const p of e.problems) {
        const { field, note } = fieldInFile(p.field, origins);
        if (!reported.some((r) => related(r, field))) add(index, label, field, p.value, note ? `${note}: ${p.message}` : p.message);
      }
    }
  });
  checkAccountLimits(declarations.map((d) => d.identity), { onError: (f) => add(-1, '(file)', 'identities', f.count, `IAM account limit: ${f.message}`) });
  if (problems.length > 0) throw new DeclarationError(problems);
  return declarations;
}

/** Whether one field is the other or lies inside it (`token` and `token.mountPath`, `clusters[0]` and `clusters[0].crn`). */
function related(a: string, b: string): boolean {
  const inside = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return inside(a, b) || inside(b, a);
}

/** The identities declared in `data`; see `declarationsFromData`. */
export function identitiesFromData(data: unknown, source: string, options?: DeclarationsOptions): WorkloadIdentity[] {
  return declarationsFromData(data, source, options).map((d) => d.identity);
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

// The rules at synthesis time. This file stays free of cdk8s and cdktf imports (the CLI and
// the model must not load them): it reaches the constructs through the few members it needs.
import type { IConstruct } from 'constructs';
import { acknowledgementAnnotations, encodeCarriedText, TERRAFORM_COMMENT_KEY, TERRAFORM_LOCAL_RESOURCES_KEY, TERRAFORM_METADATA_KEY } from './acknowledgements';
import { formatSynthErrors, runRules } from './engine';
import { isAccountManagement, POLICY_TYPE, powerfulRoles } from './iwi-p1';
import { PROFILE_TYPE } from './iwi-x2';
import { KUBERNETES_SIDE_RULES, ruleById, TERRAFORM_PACK } from './packs';
import type { AddressSet } from './types';

/** What the hooks need of a `WorkloadIdentity`. */
export interface AcknowledgingIdentity {
  readonly profileName: string;
  readonly acknowledgements: readonly { readonly ruleId: string; readonly reason: string }[];
}

/**
 * The annotations recording the identity's acknowledgements on a workload: those of rules that
 * judge Kubernetes objects, and of rules this version does not know (so nothing is lost).
 */
export function kubernetesAcknowledgementAnnotations(identity: AcknowledgingIdentity): Record<string, string> {
  return acknowledgementAnnotations(identity.acknowledgements.filter((a) => ruleById(a.ruleId)?.target.side !== 'terraform'));
}

// Apps whose workloads skip the rules at validation because the caller runs every rule over the
// whole output before anything is written (`iks-workload-identity synth`). Not exported from
// any entry point: a program using the constructs cannot turn its guard off.
const rulesRunByCaller = new WeakSet<IConstruct>();

/**
 * Marks `app` (the root of a construct tree) as one whose output the caller passes through
 * every rule before writing it: its workloads then check only what the rules cannot (conflicts
 * with the identity) at validation, and are judged once, with the whole output, by the caller.
 */
export function leaveKubernetesRulesToCaller(app: IConstruct): void {
  rulesRunByCaller.add(app.node.root);
}

/** Whether the rules of workloads under `scope` are run by the caller (see `leaveKubernetesRulesToCaller`). */
export function kubernetesRulesLeftToCaller(scope: IConstruct): boolean {
  return rulesRunByCaller.has(scope.node.root);
}

/** The open rule errors of one rendered workload manifest, as validation messages. */
export function kubernetesRuleErrors(manifest: any, source: string): string[] {
  const report = runRules({ kubernetes: [{ file: source, manifest }] }, KUBERNETES_SIDE_RULES);
  return formatSynthErrors(report.findings);
}

/** A cdktf resource, as far as the rules need it. */
interface TerraformResourceLike {
  readonly terraformResourceType: string;
  /** The resource's name in the configuration (its logical ID). */
  readonly friendlyUniqueId: string;
  toTerraform(): any;
  addOverride(path: string, value: unknown): void;
}

// cdktf marks resources (not data sources) with this registered symbol, and CDK Terrain kept it
// (cdktn 0.24.0, lib/terraform-resource.js): reading it needs no import, and serves both engines.
const TERRAFORM_RESOURCE = Symbol.for('cdktf/TerraformResource');
const TERRAFORM_DATA_SOURCE = Symbol.for('cdktf/TerraformDataSource');
const TERRAFORM_STACK = Symbol.for('cdktf/TerraformStack');

/** The cdktf stack holding `scope`, if any. */
function stackOf(scope: IConstruct): IConstruct | undefined {
  return [...scope.node.scopes].reverse().find((s: any) => TERRAFORM_STACK in s);
}

// The addresses a stack declares, computed once per synthesis: validations run synchronously
// inside one `app.synth()`, so the cache is dropped at the next microtask.
const declaredCache = new WeakMap<object, Set<string>>();

/**
 * Every resource and data source of the stack holding `scope`, as Terraform addresses, so a
 * rule can tell that `${data.ibm_container_vpc_cluster.x.id}` names a declared cluster. Computed
 * on first use only: most checks never ask.
 */
function declaredInStack(scope: IConstruct): AddressSet {
  return {
    has: (address) => {
      const stack = stackOf(scope) ?? scope.node.root;
      let set = declaredCache.get(stack);
      if (!set) {
        const found = new Set<string>();
        for (const c of stack.node.findAll() as any[]) {
          if (typeof c.terraformResourceType !== 'string' || typeof c.friendlyUniqueId !== 'string') continue;
          if (TERRAFORM_RESOURCE in c) found.add(`${c.terraformResourceType}.${c.friendlyUniqueId}`);
          else if (TERRAFORM_DATA_SOURCE in c) found.add(`data.${c.terraformResourceType}.${c.friendlyUniqueId}`);
        }
        set = found;
        declaredCache.set(stack, set);
        queueMicrotask(() => declaredCache.delete(stack));
      }
      return set.has(address);
    },
  };
}

function resourcesUnder(scope: IConstruct): TerraformResourceLike[] {
  return scope.node.findAll().filter((c: any) => TERRAFORM_RESOURCE in c && typeof c.terraformResourceType === 'string'
    && typeof c.toTerraform === 'function' && typeof c.addOverride === 'function' && typeof c.friendlyUniqueId === 'string') as unknown as TerraformResourceLike[];
}

// Only errors fail synthesis: resources that only a warning could flag (IWI-T2's links) are not rendered here.
const JUDGED_TYPES = new Set(TERRAFORM_PACK.flatMap((r) => (r.target.side === 'terraform' && r.severity === 'error' ? r.target.resourceTypes : [])));

/**
 * Writes the identity's acknowledgements into the `//` comment of each resource under `scope`
 * that a rule judges; unknown rule IDs go on the trusted profile. When the scope has no trusted
 * profile (it is managed elsewhere), every resource records the profile name, so the check
 * command knows the workloads' profile exists. Idempotent.
 */
export function recordTerraformRuleMetadata(scope: IConstruct, identity: AcknowledgingIdentity): void {
  const elements = resourcesUnder(scope).filter((e) => e.terraformResourceType.startsWith(PROFILE_TYPE));
  const hasProfile = elements.some((e) => e.terraformResourceType === PROFILE_TYPE);
  if (hasProfile && identity.acknowledgements.length === 0) return;
  const base = `${TERRAFORM_COMMENT_KEY}.${TERRAFORM_METADATA_KEY}`;
  for (const e of elements) {
    const type = e.terraformResourceType;
    for (const a of identity.acknowledgements) {
      const target = ruleById(a.ruleId)?.target;
      const here = target === undefined ? (type === PROFILE_TYPE || !hasProfile)
        : target.side === 'terraform' && target.resourceTypes.includes(type);
      if (here) e.addOverride(`${base}.acknowledge.${a.ruleId}`, a.reason);
    }
    if (!hasProfile) e.addOverride(`${base}.profileName`, identity.profileName);
  }
}

/**
 * The same metadata as `recordTerraformRuleMetadata` writes into `//`, by resource address,
 * percent-encoded, for a local value: `cdktf synth --hcl` drops `//` but keeps locals.
 * Undefined when there is nothing to carry.
 */
export function carriedTerraformRuleMetadata(scope: IConstruct, identity: AcknowledgingIdentity): Record<string, unknown> | undefined {
  const elements = resourcesUnder(scope).filter((e) => e.terraformResourceType.startsWith(PROFILE_TYPE));
  const hasProfile = elements.some((e) => e.terraformResourceType === PROFILE_TYPE);
  const resources: Record<string, Record<string, unknown>> = {};
  for (const e of elements) {
    const type = e.terraformResourceType;
    const acknowledge: Record<string, string> = {};
    for (const a of identity.acknowledgements) {
      const target = ruleById(a.ruleId)?.target;
      const here = target === undefined ? (type === PROFILE_TYPE || !hasProfile)
        : target.side === 'terraform' && target.resourceTypes.includes(type);
      if (here) acknowledge[a.ruleId] = encodeCarriedText(a.reason);
    }
    const entry: Record<string, unknown> = {};
    if (Object.keys(acknowledge).length > 0) entry.acknowledge = acknowledge;
    if (!hasProfile) entry.profileName = encodeCarriedText(identity.profileName);
    if (Object.keys(entry).length > 0) resources[`${type}.${e.friendlyUniqueId}`] = entry;
  }
  return Object.keys(resources).length > 0 ? { [TERRAFORM_METADATA_KEY]: { [TERRAFORM_LOCAL_RESOURCES_KEY]: resources } } : undefined;
}

/** What the check needs of cdktf, passed in by the construct: this file imports no framework. */
export interface TerraformRuleHooks {
  /** Makes a Terraform local value (cdktf's `TerraformLocal`) under the scope. */
  readonly makeLocal?: (id: string) => { expression: unknown };
  /** Resolves tokens in a rendered resource to the `${...}` text cdktf will write. */
  readonly resolve?: (value: unknown) => unknown;
}

/**
 * Runs the Terraform rules on the resources under `scope` before cdktf writes the stack, and
 * records the acknowledgements first so that both the check and the output see them. With
 * `hooks.makeLocal`, the metadata also goes into a local value, which survives `cdktf synth --hcl`.
 */
export function addTerraformRuleChecks(scope: IConstruct, identity: AcknowledgingIdentity, hooks: TerraformRuleHooks = {}): void {
  recordTerraformRuleMetadata(scope, identity);
  const carried = hooks.makeLocal && carriedTerraformRuleMetadata(scope, identity);
  const local = carried && hooks.makeLocal ? hooks.makeLocal('iks-workload-identity') : undefined;
  if (local) local.expression = carried;
  scope.node.addValidation({
    validate: () => {
      // Resources added after the constructor get their acknowledgements here.
      recordTerraformRuleMetadata(scope, identity);
      if (local) local.expression = carriedTerraformRuleMetadata(scope, identity) ?? {};
      const resource: Record<string, Record<string, unknown>> = {};
      // Rendering a resource is most of the check's cost: render only what a rule could flag.
      // Tokens (a looked-up cluster's ID) resolve to the `${...}` text Terraform will read.
      const render = (e: TerraformResourceLike): any => (hooks.resolve ? hooks.resolve(e.toTerraform()) : e.toTerraform());
      for (const e of resourcesUnder(scope).filter((r) => JUDGED_TYPES.has(r.terraformResourceType) && !plainlyHarmless(r))) {
        for (const [type, byId] of Object.entries(render(e)?.resource ?? {})) {
          resource[type] = { ...resource[type], ...(byId as Record<string, unknown>) };
        }
      }
      const report = runRules({ terraform: [{ file: scope.node.path, config: { resource }, declared: declaredInStack(scope) }] }, TERRAFORM_PACK);
      return formatSynthErrors(report.findings);
    },
  });
}

/**
 * A policy whose inputs grant neither Administrator/Manager nor account management, and whose
 * synthesized JSON nothing overrides, cannot break a rule. Reads the generated binding's
 * `rolesInput` and `accountManagementInput` and cdktf's overrides; when any is not as expected,
 * the policy is rendered and judged in full.
 */
function plainlyHarmless(r: TerraformResourceLike): boolean {
  const e = r as any;
  if (r.terraformResourceType !== POLICY_TYPE || !Array.isArray(e.rolesInput)) return false;
  const overrides = e.rawOverrides;
  if (overrides === null || typeof overrides !== 'object' || Object.keys(overrides).some((k) => k !== '//')) return false;
  return powerfulRoles(e.rolesInput).length === 0 && e.rolesInput.every((role: unknown) => typeof role === 'string')
    && !isAccountManagement(e.accountManagementInput);
}

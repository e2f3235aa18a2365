// The rules at synthesis time. This file stays free of cdk8s and cdktf imports (the CLI and
// the model must not load them): it reaches the constructs through the few members it needs.
import type { IConstruct } from 'constructs';
import { acknowledgementAnnotations, TERRAFORM_COMMENT_KEY, TERRAFORM_METADATA_KEY } from './acknowledgements';
import { formatSynthErrors, runRules } from './engine';
import { isAccountManagement, POLICY_TYPE, powerfulRoles } from './iwi-p1';
import { PROFILE_TYPE } from './iwi-x2';
import { KUBERNETES_PACK, POD_SECURITY_PACK, ruleById, TERRAFORM_PACK } from './packs';

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

/** The open rule errors of one rendered workload manifest, as validation messages. */
export function kubernetesRuleErrors(manifest: any, source: string): string[] {
  const report = runRules({ kubernetes: [{ file: source, manifest }] }, [...KUBERNETES_PACK, ...POD_SECURITY_PACK]);
  return formatSynthErrors(report.findings);
}

/** A cdktf resource, as far as the rules need it. */
interface TerraformResourceLike {
  readonly terraformResourceType: string;
  toTerraform(): any;
  addOverride(path: string, value: unknown): void;
}

// cdktf marks resources (not data sources) with this registered symbol; reading it needs no import.
const TERRAFORM_RESOURCE = Symbol.for('cdktf/TerraformResource');

function resourcesUnder(scope: IConstruct): TerraformResourceLike[] {
  return scope.node.findAll().filter((c: any) => TERRAFORM_RESOURCE in c && typeof c.terraformResourceType === 'string'
    && typeof c.toTerraform === 'function' && typeof c.addOverride === 'function') as unknown as TerraformResourceLike[];
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
 * Runs the Terraform rules on the resources under `scope` before cdktf writes the stack, and
 * records the acknowledgements first so that both the check and the output see them.
 */
export function addTerraformRuleChecks(scope: IConstruct, identity: AcknowledgingIdentity): void {
  recordTerraformRuleMetadata(scope, identity);
  scope.node.addValidation({
    validate: () => {
      // Resources added after the constructor get their acknowledgements here.
      recordTerraformRuleMetadata(scope, identity);
      const resource: Record<string, Record<string, unknown>> = {};
      // Rendering a resource is most of the check's cost: render only what a rule could flag.
      for (const e of resourcesUnder(scope).filter((r) => JUDGED_TYPES.has(r.terraformResourceType) && !plainlyHarmless(r))) {
        for (const [type, byId] of Object.entries(e.toTerraform()?.resource ?? {})) {
          resource[type] = { ...resource[type], ...(byId as Record<string, unknown>) };
        }
      }
      const report = runRules({ terraform: [{ file: scope.node.path, config: { resource } }] }, TERRAFORM_PACK);
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

// The rule engine's vocabulary. Plain data only: the same rules run inside cdk8s and cdktf
// synthesis and in the `iks-workload-identity check` command, which loads neither framework.
import type { Facts } from './facts';

export type Severity = 'error' | 'warning';

/** A Kubernetes object as rendered: a plain JSON object with `apiVersion`, `kind`, `metadata`. */
export interface KubernetesDocument {
  /** Where it came from: a file path (CLI) or a construct path (synthesis). */
  readonly file: string;
  readonly manifest: any;
  /** The line of the file where the object starts, when known. */
  readonly line?: number;
}

/** A Terraform configuration in its JSON shape: one `cdk.tf.json`, or a module's files merged. */
export interface TerraformDocument {
  /** The file, or the module's folder when several files were merged. */
  readonly file: string;
  readonly config: any;
  /** For a merged module: the file defining each `type.name`, `data.type.name` and `local.name`. */
  readonly sources?: ReadonlyMap<string, string>;
  /**
   * Further objects (`type.name`, `data.type.name`) declared in the configuration but not in
   * `config`: at synthesis, only the judged resources are rendered.
   */
  readonly declared?: AddressSet;
}

/** A set of Terraform addresses, as far as the rules ask it. */
export interface AddressSet {
  has(address: string): boolean;
}

/**
 * What the rules look at. A side left `undefined` was not read at all, so rules that compare
 * both sides do not run; an empty list means the side was read and holds nothing.
 */
export interface Documents {
  readonly kubernetes?: readonly KubernetesDocument[];
  readonly terraform?: readonly TerraformDocument[];
}

/** Rule IDs mapped to the reasons an object gives for accepting their findings. */
export type Acknowledgements = ReadonlyMap<string, string>;

/** One thing a rule found, before the engine decides whether it is acknowledged. */
export interface Observation {
  /** e.g. `Deployment payments/payments-api` or `ibm_iam_trusted_profile_policy.<logical id>`. */
  readonly object: string;
  readonly file: string;
  /** What is wrong here, specifically, and how to fix it here. */
  readonly message: string;
  /** The acknowledgements the object carries. */
  readonly acknowledgements: Acknowledgements;
}

/** A rule's verdict on one object. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly object: string;
  readonly file: string;
  readonly message: string;
  /** The rule's documented fix. */
  readonly fix: string;
  /** The reason the object gives for accepting the finding; acknowledged findings never fail. */
  readonly acknowledged?: string;
}

/** Where a rule's findings live, and so where acknowledgements for it are recorded. */
export type RuleTarget =
  | { readonly side: 'kubernetes' }
  | { readonly side: 'terraform'; readonly resourceTypes: readonly string[] };

export interface Rule {
  /** `IWI-<letter><n>`: P policy, T trust, K Kubernetes, S Pod Security, X both sides, L account limits, G access groups. */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule catches. */
  readonly title: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  readonly target: RuleTarget;
  check(facts: Facts): Observation[];
}

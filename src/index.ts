// The identity model: plain, validated data shared by both sides. It imports neither cdk8s
// nor cdktf, so a repo that uses one side never needs the other side's framework.
export * from './model/account-limits';
export * from './model/cluster';
export * from './model/crn';
export * from './model/derived-names';
export * from './model/errors';
export * from './model/iam-endpoint';
export * from './model/names';
export * from './model/policy';
export * from './model/rule-ids';
export * from './model/sdk-environment';
export * from './model/text-policy';
export * from './model/token';
export * from './model/workload-identity';
export * from './model/presets';
export * from './model/roles';
export * from './declarations';
export * from './rules';
export * from './output/atomic-output';
export * from './output/files-written-by';

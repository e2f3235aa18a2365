// The Kubernetes side (cdk8s + cdk8s-plus-27): service account, identity binding for any
// cdk8s-plus workload, a Deployment for the common case, and the token-fetch Job.
export * from './workload-identity-binding';
export * from './workload-identity-deployment';
export * from './workload-identity-service-account';
export * from './token-fetch-job';
// Plain JSON checks, shared with the rules: usable on any chart's output.
export { checkPodSecurityRestricted, formatPodSecurityViolation } from '../rules/pod-security';
export type { PodSecurityViolation } from '../rules/pod-security';
export { podSpecOf } from './pod-spec';

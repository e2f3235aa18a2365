// The Kubernetes side (cdk8s + cdk8s-plus-27): service account, identity binding for any
// cdk8s-plus workload, a Deployment for the common case, and the token-fetch Job.
export * from './workload-identity-binding';
export * from './workload-identity-deployment';
export * from './workload-identity-service-account';
export * from './token-fetch-job';
export * from './pod-security';
export { podSpecOf } from './pod-spec';

// The rules: least-privilege and consistency checks over synthesized outputs. Plain TypeScript,
// shared by synthesis (the constructs) and the `iks-workload-identity check` command.
export * from './types';
export * from './acknowledgements';
export { extractFacts } from './facts';
export type { Container, Facts, TerraformResource, Workload } from './facts';
export * from './engine';
export * from './packs';
export { IWI_P1 } from './iwi-p1';
export { IWI_P2 } from './iwi-p2';
export { IWI_T1 } from './iwi-t1';
export { IWI_T2 } from './iwi-t2';
export { IWI_K1 } from './iwi-k1';
export { IWI_K2 } from './iwi-k2';
export { IWI_K3 } from './iwi-k3';
export { IWI_K4 } from './iwi-k4';
export { IWI_K5 } from './iwi-k5';
export { IWI_K6 } from './iwi-k6';
export { IWI_S1 } from './iwi-s1';
export { IWI_X1 } from './iwi-x1';
export { IWI_X2 } from './iwi-x2';
export { IWI_L1 } from './iwi-l1';
export { IWI_L2 } from './iwi-l2';
export { IWI_G1 } from './iwi-g1';
export { IWI_X3 } from './iwi-x3';

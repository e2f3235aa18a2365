import {
  MAX_TOKEN_EXPIRATION_SECONDS as MAX_TOKEN_SECONDS,
  MIN_TOKEN_EXPIRATION_SECONDS as MIN_TOKEN_SECONDS,
} from '../model/token';
import { Facts } from './facts';
import { iamTokenSourcesOf } from './pod-token';
import { Observation, Rule } from './types';

export const IWI_K2: Rule = {
  id: 'IWI-K2',
  severity: 'error',
  title: `Token lifetime outside ${MIN_TOKEN_SECONDS}..${MAX_TOKEN_SECONDS} seconds`,
  explanation: `IAM refuses projected tokens whose expirationSeconds exceeds ${MAX_TOKEN_SECONDS}; the API server `
    + `refuses values below ${MIN_TOKEN_SECONDS}. The kubelet refreshes the token at 80% of its lifetime.`,
  fix: `Set expirationSeconds from ${MIN_TOKEN_SECONDS} to ${MAX_TOKEN_SECONDS} (or leave it out: the default is ${MAX_TOKEN_SECONDS}).`,
  target: { side: 'kubernetes' },
  check(facts: Facts): Observation[] {
    const out: Observation[] = [];
    for (const w of facts.kubernetes?.workloads ?? []) {
      for (const s of iamTokenSourcesOf(w)) {
        const ttl = s.expirationSeconds;
        if (ttl === undefined) continue;
        if (typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= MIN_TOKEN_SECONDS && ttl <= MAX_TOKEN_SECONDS) continue;
        const why = typeof ttl === 'number' && ttl > MAX_TOKEN_SECONDS ? `IAM refuses tokens that live longer than ${MAX_TOKEN_SECONDS} s`
          : typeof ttl === 'number' && ttl < MIN_TOKEN_SECONDS ? `Kubernetes refuses lifetimes shorter than ${MIN_TOKEN_SECONDS} s`
            : 'it is not a whole number of seconds';
        out.push({
          object: w.object, file: w.file, acknowledgements: w.acknowledgements,
          message: `volume "${s.volume}" projects the IAM token with expirationSeconds ${JSON.stringify(ttl)}; ${why}: set ${MIN_TOKEN_SECONDS} to ${MAX_TOKEN_SECONDS}`,
        });
      }
    }
    return out;
  },
};

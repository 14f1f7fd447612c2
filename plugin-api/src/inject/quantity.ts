import { PluginApiErrors } from '../errors/catalogue.js';

const SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3,
};

/** A Kubernetes quantity (`64Mi`, `0.5`, `100m`) as a number of base units. */
export function parseQuantity(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]{0,2})$/.exec(q.trim());
  const factor = m ? SUFFIX[m[2] ?? ''] : undefined;
  if (!m || factor === undefined) {
    throw new PluginApiErrors.API_ERR_INVALID_OPTION(`"${q}" is not a Kubernetes quantity (e.g. 64Mi, 250m)`);
  }
  return Number(m[1]) * factor;
}

/** The larger of two quantities, as written; `undefined` when neither is set. */
export function maxQuantity(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return parseQuantity(a) >= parseQuantity(b) ? a : b;
}

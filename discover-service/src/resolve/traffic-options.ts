import { LB_POLICIES, type LbPolicy } from '@meshplug/plugin-api';

export const DEFAULT_WEIGHT = 100;

/** `LBPolicy` option; round_robin (Rainbond's only policy) when unset or unknown. */
export function lbPolicyOption(options: Readonly<Record<string, string>>): LbPolicy {
  const v = options['LBPolicy'];
  return (LB_POLICIES as readonly string[]).includes(v ?? '') ? (v as LbPolicy) : 'round_robin';
}

/** `Weight` option as an endpoint weight, 1..1000; 100 when unset or not a number. */
export function weightOption(options: Readonly<Record<string, string>>): number {
  const v = options['Weight'];
  if (v === undefined || !/^\d+$/.test(v.trim())) return DEFAULT_WEIGHT;
  return Math.min(1000, Math.max(1, Number(v)));
}

export * from './balancers/balancer.js';
export { PEAK_EWMA_DECAY_MS } from './balancers/peak-ewma-balancer.js';
export * from './policy/outlier-detector.js';
export * from './policy/healthy-set.js';
export * from './policy/pending-queue.js';
export * from './policy/circuit-breaker.js';
export * from './policy/retry-budget.js';
export * from './policy/retry-on.js';

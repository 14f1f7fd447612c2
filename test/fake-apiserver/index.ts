export { FakeApiServer, type FakeApiServerOptions, type FailureRule, type Verb } from './fake-apiserver.js';
export type { JsonObject } from './object-store.js';
export type { TokenUser } from './token-reviewer.js';
export type { Status } from './status.js';

export { FakeApiServer, type FakeApiServerOptions, type FailureRule } from './fake-apiserver.js';
export type { Verb } from './request-route.js';
export type { JsonObject } from './object-store.js';
export type { TokenUser } from './token-reviewer.js';
export type { Status } from './status.js';

import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8 on its baseline WebAssembly compiler (Liftoff) in the sidecar. undici parses HTTP with
 * llhttp compiled to WebAssembly; by default V8 re-compiles its hot state machine with TurboFan in
 * the background, a single compile that mallocs ~40 MB at its peak and leaves 5-10 MB resident:
 * measured, the sidecar's peak RSS went from ~108 MB to ~75 MB without it, and wrk through the proxy
 * showed no throughput loss (node:http's own parser is native; llhttp only parses upstream replies).
 * NODE_OPTIONS may not carry this flag, and it only counts before the first WebAssembly compile, so
 * the command sets it before it starts anything.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}

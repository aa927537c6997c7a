// The Emscripten module factory, re-exported so that the type checker reads
// its shape from core-module.d.ts instead of the generated glue code.
export { default } from '../dist/explorer_core.mjs';

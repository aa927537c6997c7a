#!/usr/bin/env bash
# All the tests: GoogleTest natively and under Node (the wasm build, where
# the SIMD128 kernel runs), then Vitest on the real .wasm and data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh native wasm-tests
echo "== GoogleTest (native, g++) =="
ctest --test-dir build/native --output-on-failure
# The same suite (with the fuzz regression inputs) under ASan + UBSan: any
# report aborts its test.
bash scripts/build.sh native-asan
echo "== GoogleTest (native, g++, ASan + UBSan) =="
ctest --test-dir build/native-asan --output-on-failure
echo "== GoogleTest (wasm, Node) =="
ctest --test-dir build/wasm-tests --output-on-failure
echo "== Type check (tsc --checkJs: the worker protocol, the wrapper, the CLI) =="
npx tsc --noEmit -p tsconfig.json
echo "== Vitest (Node, real .wasm) =="
npx vitest run

#!/usr/bin/env bash
# Builds one or more targets of the CMake project:
#   wasm         the Embind module -> wasm/dist/explorer_core.{mjs,wasm}
#   wasm-tests   the GoogleTest suite compiled to wasm (SIMD128 kernels)
#   native       the GoogleTest suite compiled with g++
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's emscripten runs its JS optimizer with acorn, installed under
# /usr/share/nodejs, which Node 20 does not search by default.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)

for target in "$@"; do
  case "$target" in
    wasm)
      [[ -f build/wasm/CMakeCache.txt ]] || emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DEXPLORER_TESTS=OFF >/dev/null
      cmake --build build/wasm -j"$jobs" --target explorer_wasm >/dev/null ;;
    wasm-tests)
      [[ -f build/wasm-tests/CMakeCache.txt ]] || emcmake cmake -S . -B build/wasm-tests -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/wasm-tests -j"$jobs" --target explorer_tests >/dev/null ;;
    native)
      [[ -f build/native/CMakeCache.txt ]] || cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build build/native -j"$jobs" >/dev/null ;;
    *) echo "build.sh: unknown target $target (wasm, wasm-tests, native)" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# Builds one or more targets of the CMake project:
#   wasm         the Embind module -> wasm/dist/explorer_core.{mjs,wasm}
#   wasm-tests   the GoogleTest suite compiled to wasm (SIMD128 kernels)
#   native       the GoogleTest suite compiled with g++
#   native-asan  the same suite under AddressSanitizer + UBSan (g++)
#   fuzz         the libFuzzer targets of tests/fuzz (clang++, ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's emscripten runs its JS optimizer with acorn, installed under
# /usr/share/nodejs, which Node 20 does not search by default.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
jobs=$(nproc)
# Helpers working side by side keep their own build trees (BUILD_ROOT=build/x).
root=${BUILD_ROOT:-build}

for target in "$@"; do
  case "$target" in
    wasm)
      [[ -f $root/wasm/CMakeCache.txt ]] || emcmake cmake -S . -B $root/wasm -DCMAKE_BUILD_TYPE=Release -DEXPLORER_TESTS=OFF >/dev/null
      cmake --build $root/wasm -j"$jobs" --target explorer_wasm >/dev/null ;;
    wasm-tests)
      [[ -f $root/wasm-tests/CMakeCache.txt ]] || emcmake cmake -S . -B $root/wasm-tests -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build $root/wasm-tests -j"$jobs" --target explorer_tests >/dev/null ;;
    native)
      [[ -f $root/native/CMakeCache.txt ]] || cmake -S . -B $root/native -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build $root/native -j"$jobs" >/dev/null ;;
    native-asan)
      [[ -f $root/native-asan/CMakeCache.txt ]] || CXX=g++ cmake -S . -B $root/native-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXPLORER_SANITIZE=ON >/dev/null
      cmake --build $root/native-asan -j"$jobs" >/dev/null ;;
    fuzz)
      [[ -f $root/fuzz/CMakeCache.txt ]] || CXX=clang++ cmake -S . -B $root/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEXPLORER_FUZZ=ON -DEXPLORER_TESTS=OFF >/dev/null
      cmake --build $root/fuzz -j"$jobs" >/dev/null ;;
    *) echo "build.sh: unknown target $target (wasm, wasm-tests, native, native-asan, fuzz)" >&2; exit 2 ;;
  esac
done

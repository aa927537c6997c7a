#!/usr/bin/env bash
# Fuzzes every format parser with libFuzzer (clang++, ASan + UBSan), one
# target after another, each for the stated time:
#
#   scripts/fuzz.sh [seconds-per-target]      (default 60; npm run fuzz -- 300)
#   FUZZ_TARGETS="fuzz_npy fuzz_text" scripts/fuzz.sh 30   only these targets
#
# Targets and the input layout they share are in tests/fuzz/ (harness.h).
# Each starts from the seed corpus tests/fuzz/corpus/<target>/ and keeps
# what it finds under $BUILD_ROOT/fuzz/corpus/<target>/ (never in tests/).
# Prints the executions per target from libFuzzer's final stats and exits
# non-zero on any crash, leak, timeout or sanitizer report; the input that
# caused it is left in $BUILD_ROOT/fuzz/artifacts/<target>/. To keep it as
# a regression test, copy it to tests/fuzz/regressions/<target>/ (replayed
# by the native GoogleTest suite, under g++, without clang).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

# Debian's clang 14 and its runtime (which holds libFuzzer), as setup.sh
# installs the rest of the toolchain.
packages=(clang libclang-rt-14-dev cmake make libeigen3-dev nlohmann-json3-dev libfast-float-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

root=${BUILD_ROOT:-build}
echo "fuzz: building the targets in $root/fuzz"
bash scripts/build.sh fuzz

targets=(${FUZZ_TARGETS:-fuzz_text fuzz_word2vec_bin fuzz_tsv fuzz_npy fuzz_safetensors fuzz_embq fuzz_vocabulary})
failed=()
printf '%-20s %12s %10s  %s\n' target executions exec/s result
for target in "${targets[@]}"; do
  corpus=$root/fuzz/corpus/$target artifacts=$root/fuzz/artifacts/$target log=$root/fuzz/$target.log
  mkdir -p "$corpus" "$artifacts"
  # Text-like seeds are a few KB; binary headers matter in their first
  # bytes. -rss_limit_mb and -malloc_limit_mb turn an allocation sized from
  # an unchecked header into a reported bug rather than a slow machine.
  case $target in fuzz_text|fuzz_tsv|fuzz_vocabulary) max_len=8192 ;; *) max_len=4096 ;; esac
  status=0
  "$root/fuzz/$target" "$corpus" "tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if ((status != 0)) || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
    result="FAILED (see $log; input in $artifacts/)"
    failed+=("$target")
  else
    result=ok
  fi
  printf '%-20s %12s %10s  %s\n' "$target" "${executions:-?}" "${per_second:-?}" "$result"
done

if ((${#failed[@]})); then
  echo "fuzz: failures in ${failed[*]}" >&2
  for target in "${failed[@]}"; do
    echo "---- $target ----" >&2
    grep -m1 -A25 -E 'ERROR:|runtime error:|invariant broken|deadly signal' "$root/fuzz/$target.log" >&2 || tail -30 "$root/fuzz/$target.log" >&2
  done
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash, leak or sanitizer report"

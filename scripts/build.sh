#!/usr/bin/env bash
# Configures and builds aiomc into BUILD_DIR (default: build/). Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAIOMC_WERROR=ON -DAIOMC_CHECKED=ON "$@" > /dev/null
cmake --build "$build" -j"$(nproc)"

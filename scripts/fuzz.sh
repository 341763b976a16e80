#!/usr/bin/env bash
# Builds the libFuzzer harness with clang under AddressSanitizer + UBSan into
# build-fuzz/ and runs it over a corpus seeded with scenarios/ for RUNS executions
# (default 20000; CI uses that). A crash, sanitizer report or model failure on an
# accepted scenario fails the run and leaves the input in build-fuzz/crashes/: make it
# a regression scenario. A longer run: RUNS=0 SECONDS_MAX=3600 bash scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
# clang and its runtimes (libFuzzer, the sanitizers) from Debian's packages.
if ! command -v clang++ > /dev/null || ! dpkg -s libclang-rt-14-dev > /dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -qq clang libclang-rt-14-dev > /dev/null
  else
    echo "fuzz.sh: needs clang and libclang-rt-14-dev" >&2
    exit 2
  fi
fi
build=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAIOMC_FUZZ=ON -DAIOMC_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS="-Wno-unknown-warning-option" > /dev/null
cmake --build "$build" -j"$(nproc)" --target aiomc_fuzz_scenario
mkdir -p "$build/corpus" "$build/crashes"
find scenarios -name '*.json' -exec cp {} "$build/corpus/" \;
runs=${RUNS:-20000}
# RUNS=0: no bound on executions (libFuzzer's -runs=0 would run the corpus only).
if [ "$runs" = 0 ]; then runs=-1; fi
extra=()
if [ -n "${SECONDS_MAX:-}" ]; then extra+=("-max_total_time=$SECONDS_MAX"); fi
ASAN_OPTIONS=detect_leaks=0 "$build/aiomc_fuzz_scenario" "$build/corpus" -runs="$runs" -max_len=16384 \
  -timeout=20 -rss_limit_mb=4096 -artifact_prefix="$build/crashes/" -print_final_stats=1 "${extra[@]}"

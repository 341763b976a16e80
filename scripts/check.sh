#!/usr/bin/env bash
# The main job: build, then check every bundled scenario's verdicts, writing a JSON
# report, a JUnit file, a SARIF file and the counterexample traces under build/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
build=${BUILD_DIR:-build}
"$build/aiomc" check scenarios/ --report "$build/report.json" --junit "$build/junit.xml" \
  --sarif "$build/report.sarif" \
  --trace-dir "$build/traces" --stats "$@"

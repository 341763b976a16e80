#!/usr/bin/env bash
# Installs the Debian packages aiomc builds with, if any is missing (needs root).
# python3-jsonschema: the test suite validates SARIF output against the vendored
# SARIF 2.1.0 schema (tests/sarif/validate.py); help2man: the man page is generated
# from `aiomc --help-all` at build time; dpkg-dev: dpkg-shlibdeps computes the Debian
# package's Depends (scripts/package-test.sh).
set -euo pipefail
# chromium: the test suite loads `aiomc view`'s HTML in headless Chromium and checks the DOM.
# graphviz: `dot -Tsvg` checks that `aiomc graph` writes DOT Graphviz can read (tests [liveness]).
pkgs=(g++ cmake make dpkg-dev nlohmann-json3-dev libcli11-dev catch2 libboost-graph-dev libxxhash-dev libabsl-dev
      python3-jsonschema help2man chromium graphviz)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" > /dev/null
fi

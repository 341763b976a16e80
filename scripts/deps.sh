#!/usr/bin/env bash
# Installs the Debian packages aiomc builds with, if any is missing (needs root).
set -euo pipefail
# graphviz: `dot -Tsvg` checks that `aiomc graph` writes DOT Graphviz can read (tests [liveness]).
pkgs=(g++ cmake make nlohmann-json3-dev libcli11-dev catch2 libboost-graph-dev libxxhash-dev libabsl-dev graphviz)
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

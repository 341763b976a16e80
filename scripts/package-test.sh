#!/usr/bin/env bash
# The Debian package: builds it with CPack from the build directory (BUILD_DIR,
# default build/, built if needed), inspects it with dpkg-deb (control fields,
# Depends from the runtime libraries, the files it installs) and, as root, installs
# it with apt, checks the bundled scenarios with the installed aiomc, finds the man
# page with `man -w`, and removes the package again. Run by .ci/run after the test
# suite; a few minutes at most (the build is reused).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/build.sh
build=${BUILD_DIR:-build}
rm -f "$build"/aiomc_*.deb
(cd "$build" && cpack -G DEB > cpack.log) || { cat "$build/cpack.log"; exit 1; }
deb=$(ls "$build"/aiomc_*.deb)
fail() { echo "package-test: $*" >&2; exit 1; }

info=$(dpkg-deb --info "$deb")
echo "$info"
[ "$(dpkg-deb --field "$deb" Package)" = aiomc ] || fail "Package is not aiomc"
version=$(dpkg-deb --field "$deb" Version)
[ "$version" = "$(sed -n 's/^project(aiomc VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)" ] || fail "Version $version"
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libc6 libstdc++6 libxxhash0 libabsl; do
  grep -q "$lib" <<< "$depends" || fail "Depends lacks $lib: $depends"
done

contents=$(dpkg-deb --contents "$deb")
echo "$contents" | awk '{print $6}' | grep -v '/$' | grep -v '/scenarios/' || true
echo "... and $(grep -c '/share/aiomc/scenarios/.*\.json$' <<< "$contents") scenarios"
for f in ./usr/bin/aiomc ./usr/share/man/man1/aiomc.1 ./usr/share/bash-completion/completions/aiomc \
         ./usr/share/aiomc/scenarios/history/lio-count-so-far.json; do
  grep -q " $f\$" <<< "$contents" || fail "the package lacks $f"
done
n_src=$(find scenarios -name '*.json' | wc -l)
n_deb=$(grep -c '/share/aiomc/scenarios/.*\.json$' <<< "$contents")
[ "$n_src" = "$n_deb" ] || fail "$n_deb scenarios in the package, $n_src in scenarios/"
if grep -q "$(pwd)" <<< "$contents"; then fail "a build path in the package"; fi

if [ "$(id -u)" -eq 0 ]; then
  if dpkg -s aiomc > /dev/null 2>&1; then fail "aiomc is already installed on this machine; not touching it"; fi
  trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq aiomc > /dev/null 2>&1 || true' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" > /dev/null
  [ "$(command -v aiomc)" = /usr/bin/aiomc ] || fail "aiomc is not /usr/bin/aiomc"
  aiomc --version
  (cd /tmp && aiomc check /usr/share/aiomc/scenarios --quiet --threads 2) | tail -1
  man -w aiomc
  [ "$(man -w aiomc)" = /usr/share/man/man1/aiomc.1 ] || fail "man -w aiomc"
else
  echo "package-test: not root: the package was inspected, not installed"
fi
echo "package-test: ok in $(( $(date +%s) - start )) s"

#!/usr/bin/env bash
# Installs the Debian packages skillhub needs to build, test and benchmark.
# Idempotent: packages already present are skipped; works as root or via sudo.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also the benchmark peers (wrk, hyperfine, python3-ahocorasick)
#   scripts/install-deps.sh --browser  also Chromium and Node.js (with npm) for the browser tests
#   scripts/install-deps.sh --fuzz     also clang with libFuzzer
set -euo pipefail

PKGS=(build-essential pkg-config libsqlite3-dev sqlite3 libjansson-dev libutf8proc-dev
      libstemmer-dev libcsv-dev zlib1g-dev libzstd-dev libmicrohttpd-dev libsodium-dev
      libcmocka-dev curl python3)
for arg in "$@"; do
  case "$arg" in
    --bench)   PKGS+=(wrk hyperfine python3-ahocorasick valgrind linux-perf) ;;
    --browser) PKGS+=(chromium nodejs); BROWSER=1 ;;
    --fuzz)    PKGS+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

BROWSER=${BROWSER:-0}
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() {
  echo "install-deps: installing $*" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
# Some Node.js builds ship npm inside the nodejs package; Debian's own splits it out.
if [ "$BROWSER" = 1 ] && ! command -v npm >/dev/null; then apt_install npm; fi

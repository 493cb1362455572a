#!/usr/bin/env bash
# Installs the Debian packages skillhub needs to build, test and benchmark.
# Idempotent: packages already present are skipped; works as root or via sudo.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --bench    also the benchmark peers (wrk, hyperfine, python3-ahocorasick)
#   scripts/install-deps.sh --browser  also Chromium, a font and Node.js (with npm) for the browser tests;
#                                      their npm packages: npm ci --prefix tests/browser (scripts/test.sh does it)
#   scripts/install-deps.sh --fuzz     also clang with libFuzzer
set -euo pipefail

PKGS=(build-essential pkg-config libsqlite3-dev sqlite3 libjansson-dev libutf8proc-dev
      libstemmer-dev libcsv-dev zlib1g-dev libzstd-dev libmicrohttpd-dev libsodium-dev libargon2-dev
      libcmocka-dev curl python3)
for arg in "$@"; do
  case "$arg" in
    --bench)   PKGS+=(wrk hyperfine python3-ahocorasick valgrind linux-perf) ;;
    # --no-install-recommends leaves Chromium without fonts (pages would render blank) and npm without the
    # certificates it needs to reach its registry: both are named here.
    --browser) PKGS+=(chromium fonts-dejavu-core nodejs ca-certificates); BROWSER=1 ;;
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
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
updated=0
apt_install() {
  echo "install-deps: installing $*" >&2
  if [ -n "$SUDO" ] && ! command -v sudo >/dev/null; then
    echo "install-deps: neither root nor sudo: install these packages as root" >&2
    exit 1
  fi
  [ "$updated" = 1 ] || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  updated=1
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
if [ "$BROWSER" = 1 ]; then
  # Some Node.js builds ship npm inside the nodejs package; Debian's own splits it out.
  command -v npm >/dev/null || apt_install npm
  # playwright-core (tests/browser/package.json) needs Node.js 20; Debian 12's own nodejs is 18.
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || echo "install-deps: warning: Node.js $(node --version) is older than 20, which" \
                              "playwright-core needs: the browser tests will skip" >&2
fi

#!/usr/bin/env bash
# Password hashing cost (docs/accounts.md, "Passwords"): sh_password_hash at the default Argon2id parameters
# (t=3, m=19 MiB) and around them, against libsodium's Argon2id at the same parameters, in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
make -s BUILD="$BUILD" "$BUILD/bench/password" >/dev/null
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD/bench/password" "${ROUNDS:-10}"

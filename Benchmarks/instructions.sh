#!/usr/bin/env bash
# Instructions per verification, counted by callgrind: a measure that does not move with the machine's
# load. Prints LayabAuth beside the raw OpenSSL primitive (documented per-operation path and reused
# contexts), and OpenSSL / LayabAuth, which is the throughput ratio LayabAuth / OpenSSL would be if time
# followed instructions. jwt-kit is not counted: valgrind 3.19 crashes in Swift concurrency's runtime,
# which its async API needs.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product VerificationProfile >&2
# A copy without DWARF: valgrind 3.19 cannot read the debug information of this binary; the symbol
# table, which --toggle-collect needs, stays.
binary="$(mktemp)"
trap 'rm -f "$binary" callgrind.profile.*' EXIT
cp .build/release/VerificationProfile "$binary"
strip --strip-debug "$binary"
chmod +x "$binary"

count() { # algorithm iterations kind
    valgrind --tool=callgrind --toggle-collect='*measured*' --callgrind-out-file="callgrind.profile.$$" "$binary" "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

echo "| alg | LayabAuth instructions/op | OpenSSL | OpenSSL-reused | OpenSSL / LayabAuth | OpenSSL-reused / LayabAuth |"
echo "|---|---:|---:|---:|---:|---:|"
for spec in RS256:200 PS256:200 ES256:100 ES384:20 EdDSA:100 HS256:2000; do
    algorithm="${spec%%:*}" iterations="${spec##*:}"
    ours=$(count "$algorithm" "$iterations" layabauth)
    raw=$(count "$algorithm" "$iterations" openssl)
    reused=$(count "$algorithm" "$iterations" openssl-reused)
    python3 -c "
o, r, u, n = $ours / $iterations, $raw / $iterations, $reused / $iterations, 0
print(f'| $algorithm | {o:,.0f} | {r:,.0f} | {u:,.0f} | {r / o:.2f} | {u / o:.2f} |')"
done

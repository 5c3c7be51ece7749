#!/usr/bin/env bash
# Memory safety: AddressSanitizer and LeakSanitizer over many verifications (verify-loop), ThreadSanitizer
# over the concurrent key cache, verified-token cache and OpenSSL context pools (cache-race).
# Usage: Tests/Memory/run.sh [verifications]   (default 200000, the CI count)
# Prints one line per runner and exits 0 only when every verdict is the expected one and neither
# sanitizer reports anything; on a failure it prints the runner's log and exits 1.
set -uo pipefail
cd "$(dirname "$0")"
count="${1:-200000}"
failed=0

# build SANITIZER SCRATCH PRODUCT: one build at a time, its log kept in the scratch path.
build() {
    mkdir -p "$2"
    if ! swift build --sanitize="$1" --scratch-path "$2" --product "$3" >"$2/build.log" 2>&1; then
        grep -E "error:" "$2/build.log" | head -40
        echo "$3: build failed (--sanitize=$1), log in Tests/Memory/$2/build.log"
        exit 1
    fi
}

# seconds since START (an $EPOCHREALTIME), one decimal.
seconds_since() { awk -v start="$1" -v end="$EPOCHREALTIME" 'BEGIN { printf "%.1f", end - start }'; }

# fail NAME LOG REASON: print why and the log, remember the failure.
fail() {
    echo "$1: FAILED: $3"
    sed -n '1,300p' "$2"
    failed=1
}

build address .build-asan verify-loop
log=.build-asan/verify-loop.log
start=$EPOCHREALTIME
# exitcode=23 tells a leak (or any ASan error) apart from a wrong verdict, which exits 1.
ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=23" .build-asan/debug/verify-loop "$count" >"$log" 2>&1
status=$?
elapsed=$(seconds_since "$start")
line=$(grep -m1 "^verify-loop: " "$log")
# LeakSanitizer's last line: "SUMMARY: AddressSanitizer: <bytes> byte(s) leaked in <allocations> allocation(s)."
leaked=$(sed -n 's/^SUMMARY: AddressSanitizer: \([0-9]*\) byte(s) leaked in \([0-9]*\) allocation(s).*/\2 \1/p' "$log")
read -r leaks bytes <<<"${leaked:-0 0}"
errors=$(grep -c "ERROR: AddressSanitizer" "$log")
echo "${line:-verify-loop: no result}; ${elapsed} s; LeakSanitizer: ${leaks} leaks (${bytes} bytes); AddressSanitizer: ${errors} errors; exit ${status}"
if [[ $status -ne 0 || $leaks -ne 0 || $errors -ne 0 || "$line" != "verify-loop: $count verifications, "*", 0 unexpected" ]]; then
    fail verify-loop "$log" "exit $status, $leaks leaked allocations, $errors ASan errors"
fi

build thread .build-tsan cache-race
log=.build-tsan/cache-race.log
start=$EPOCHREALTIME
# halt_on_error=0 counts every report; any report still makes the process exit 66.
TSAN_OPTIONS="halt_on_error=0:exitcode=66" .build-tsan/debug/cache-race >"$log" 2>&1
status=$?
elapsed=$(seconds_since "$start")
line=$(grep -m1 "^cache-race: " "$log")
reports=$(grep -c "WARNING: ThreadSanitizer" "$log")
echo "${line:-cache-race: no result}; ${elapsed} s; ThreadSanitizer: ${reports} reports; exit ${status}"
if [[ $status -ne 0 || $reports -ne 0 || -z "$line" ]]; then
    fail cache-race "$log" "exit $status, $reports ThreadSanitizer reports"
fi

if [[ $failed -ne 0 ]]; then
    echo "memory checks FAILED"
    exit 1
fi
echo "memory checks passed"

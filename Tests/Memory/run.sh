#!/usr/bin/env bash
# Memory safety: LeakSanitizer/AddressSanitizer over many verifications, ThreadSanitizer over the
# concurrent key cache. Usage: Tests/Memory/run.sh [verifications]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-1000000}"
swift build --sanitize=address --scratch-path .build-asan --product verify-loop 2>&1 | grep -E "error|warning: unre" || true
ASAN_OPTIONS=detect_leaks=1 .build-asan/debug/verify-loop "$count"
swift build --sanitize=thread --scratch-path .build-tsan --product cache-race 2>&1 | grep -E "error|warning: unre" || true
TSAN_OPTIONS=halt_on_error=1 .build-tsan/debug/cache-race
echo "memory checks passed"

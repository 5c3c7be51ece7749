#!/usr/bin/env bash
# Runs the benchmarks once and prints the table of docs/performance.md: throughput, mallocs per operation,
# and the ratios LayabAuth / raw OpenSSL and LayabAuth / jwt-kit, all from this one run.
#
#   Benchmarks/run.sh                  # every benchmark, 1 s each
#   LAYABAUTH_BENCH_SECONDS=3 Benchmarks/run.sh
#   Benchmarks/run.sh --filter 'RS256' # arguments go to `swift package benchmark`
set -euo pipefail
cd "$(dirname "$0")"
export LAYABAUTH_BENCH_SECONDS="${LAYABAUTH_BENCH_SECONDS:-1}"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "OpenSSL: $(openssl version 2>/dev/null || echo unknown)"
swift package --allow-writing-to-directory "$results" benchmark --format jmh --path "$results" --no-progress "$@" >&2
python3 Scripts/ratios.py "$results"/*.json

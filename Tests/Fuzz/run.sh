#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each for a bounded time.
#
#   Tests/Fuzz/run.sh [seconds per target, default 60] [target ...]
#   FUZZ_CONFIGURATION=release Tests/Fuzz/run.sh 600      # a longer hunt, faster per input
#
# Exits non-zero when a target crashes, trips an invariant, leaks, times out or runs out of memory; the
# input is kept in Tests/Fuzz/.build/fuzz/artifacts/<target>/ and the report's tail is printed. Ends with one
# line per target: executions, seconds, executions per second. See docs/fuzzing.md.
set -uo pipefail

seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
case $seconds in '' | *[!0-9]*) echo "usage: $0 [seconds per target] [target ...]" >&2; exit 2 ;; esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzToken FuzzSignedToken FuzzJWKS FuzzBearer)

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
work=.build/fuzz
mkdir -p "$work"

# Longest input per target: just past each size cap (16 KiB tokens; a header may add 64 bytes of
# "Bearer " and whitespace; FuzzSignedToken's JSON grows by a third in base64url), so that the caps
# themselves are reachable.
max_len() {
    case $1 in
        FuzzToken) echo 16448 ;;
        FuzzSignedToken) echo 12300 ;;
        FuzzBearer) echo 16512 ;;
        FuzzJWKS) echo 16384 ;;
        *) echo "unknown target $1" >&2; return 1 ;;
    esac
}

# `--sanitize=fuzzer` makes SwiftPM link the executables against libFuzzer's main. A second `--sanitize=address`
# is not enough: swiftc keeps only the last -sanitize= it is given, and SwiftPM passes its sanitizers in no
# fixed order, so a build gets either coverage or ASan (and a full rebuild whenever the order flips). One
# combined flag, appended after SwiftPM's, gives every Swift file both.
# FUZZ_CONFIGURATION=release runs several times as many inputs per second, without Swift's debug assertions.
build_flags=(-c "${FUZZ_CONFIGURATION:-debug}" --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)

echo "building the fuzz targets (swift build ${build_flags[*]}; log in $here/$work/build.log)"
if ! swift build "${build_flags[@]}" >"$work/build.log" 2>&1; then
    # The gold linker warns about every ASan helper symbol; they say nothing about the failure.
    grep -v "ld.gold: warning: Cannot export local symbol" "$work/build.log" | tail -40
    echo "fuzz build failed" >&2
    exit 1
fi
bin=$(swift build "${build_flags[@]}" --show-bin-path)

# Swift's own crash backtracer reads the stack in a way ASan reports as an overflow, burying the real report.
export SWIFT_BACKTRACE=enable=no

status=0
summary=()
for target in "${targets[@]}"; do
    len=$(max_len "$target") || exit 2
    corpus="$work/corpus/$target"
    artifacts="$work/artifacts/$target"
    log="$work/$target.log"
    mkdir -p "$corpus" "$artifacts"
    dict=()
    [ -f "$target.dict" ] && dict=("-dict=$target.dict")
    echo "fuzzing $target for ${seconds}s (max_len $len)"
    # New inputs go to the first directory (outside the repository); the seeds in Corpus/ are only read.
    "$bin/$target" "$corpus" "Corpus/$target" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
        -error_exitcode=77 -timeout_exitcode=78 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" >"$log" 2>&1
    code=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    units=$(find "$corpus" -type f | wc -l)
    if [ $code -ne 0 ]; then
        status=1
        echo "$target FAILED (exit $code); the report:" >&2
        grep -v "^#[0-9]" "$log" | tail -60 >&2
        echo "inputs kept in $here/$artifacts:" >&2
        ls -1 "$artifacts" >&2
        echo "minimise one with: $bin/$target -minimize_crash=1 -max_total_time=60 -exact_artifact_path=min <input>" >&2
        summary+=("$(printf '%-15s FAILED  exit %s after %s executions' "$target" "$code" "${runs:-?}")")
    else
        summary+=("$(printf '%-15s %10s executions in %4ss (%s/s), corpus %s inputs' "$target" "${runs:-?}" "${took:-?}" "${rate:-?}" "$units")")
    fi
done

echo
echo "fuzzing summary (${seconds}s per target):"
printf '  %s\n' "${summary[@]}"
exit $status

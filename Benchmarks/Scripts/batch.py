#!/usr/bin/env python3
"""`layabauth verify -` against an equivalent joserfc script (batch_joserfc.py) over the same file of distinct
RS256 tokens: whole process against whole process, wall-clock time and peak memory (ru_maxrss), in one run.

    Benchmarks/Scripts/batch.py [count] [--json] [--cpus LIST]
        count       default 100,000 tokens; the tokens are minted once and kept
        --json      both write one JSON object per token, header and claims (`verify - --json`, what the issue measures)
        --cpus LIST both processes run under `taskset -c LIST` (0 for one core, 0,1 for two)

Both read the tokens on standard input and write one line per token; every line must say the token is valid.
Needs GNU time (`/usr/bin/time`, Debian package `time`) for the peak memory, taskset for --cpus.
Peak memory is also measured over a tenth of the tokens: a batch that streams has the same peak for both.
"""
import argparse
import os
import subprocess
import sys
import time

from bench_setup import AUDIENCE, HERE, ISSUER, build_release, machine, mint, work_folder


def run(command, tokens_path):
    """Runs `command` with the tokens on standard input; returns (seconds, peak MiB, output lines).

    The peak resident memory is GNU time's (`%M`), taken in a small process of its own: the rusage of a child
    of this script would also count the pages it shared with this script between fork and exec, which grow
    with the output this script has read."""
    peak_file = tokens_path + ".peak"
    with open(tokens_path, "rb") as tokens, open(tokens_path + ".out", "wb") as output, open(tokens_path + ".err", "wb") as errors:
        start = time.perf_counter()
        status = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak_file] + command, stdin=tokens, stdout=output, stderr=errors).returncode
        seconds = time.perf_counter() - start
    if status != 0:
        with open(tokens_path + ".err", "rb") as errors:
            sys.exit(f"{command[0]} failed ({status}): {errors.read().decode(errors='replace')[-500:]}")
    with open(peak_file) as peak:
        peak_mib = int(peak.read().split()[-1]) / 1024
    with open(tokens_path + ".out", "rb") as output:
        lines = output.read().decode().splitlines()
    return seconds, peak_mib, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cpus")
    arguments = parser.parse_args()
    count = arguments.count
    work = work_folder("batch")
    (layabauth,) = build_release("layabauth")
    # One key set per token file: minting another file makes a new key.
    jwks = os.path.join(work, f"jwks-{count}.json")
    tokens = os.path.join(work, f"tokens-{count}.txt")
    if not (os.path.exists(tokens) and os.path.exists(jwks)):
        mint(count, tokens, jwks)
    tenth = os.path.join(work, f"tokens-{count}-tenth.txt")
    with open(tokens) as source, open(tenth, "w") as target:
        for index, line in enumerate(source):
            if index < count // 10:
                target.write(line)

    ours_name = "layabauth verify - --json" if arguments.json else "layabauth verify -"
    commands = {
        ours_name: [layabauth, "verify", "--key", jwks, "--issuer", ISSUER, "--audience", AUDIENCE, "-"] + (["--json"] if arguments.json else []),
        "joserfc script": [sys.executable, os.path.join(HERE, "batch_joserfc.py"), jwks, ISSUER, AUDIENCE] + (["--json"] if arguments.json else []),
    }
    if arguments.cpus:
        commands = {name: ["taskset", "-c", arguments.cpus] + command for name, command in commands.items()}
    print(machine() + (f"; both processes on CPUs {arguments.cpus}" if arguments.cpus else ""))
    results = {}
    # Alternated, twice each: a change in the machine's load hits both sides alike; the faster run counts.
    for _ in range(2):
        for name, command in commands.items():
            seconds, peak, lines = run(command, tokens)
            if arguments.json:
                valid = sum(1 for line in lines if '"valid":true,' in line)
            else:
                valid = sum(1 for line in lines if "VALID" in line.upper() and "INVALID" not in line.upper())
            if len(lines) != count or valid != count:
                sys.exit(f"{name}: {len(lines)} lines, {valid} valid, expected {count}")
            _, tenth_peak, _ = run(command, tenth)
            best = results.get(name)
            if best is None or seconds < best[0]:
                results[name] = (seconds, peak, tenth_peak)
    print(f"| command | tokens | seconds (best of 2) | tokens/s | peak memory, all tokens | peak memory, a tenth |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (seconds, peak, tenth_peak) in results.items():
        print(f"| `{name}` | {count:,} | {seconds:.2f} | {count / seconds:,.0f} | {peak:.1f} MiB | {tenth_peak:.1f} MiB |")
    ours, theirs = results[ours_name][0], results["joserfc script"][0]
    target = 4 if arguments.json else 3
    verdict = "met" if theirs / ours >= target else "MISSED"
    print(f"\nlayabauth is {theirs / ours:.2f}x faster than the joserfc script (target {target}x: {verdict})")


if __name__ == "__main__":
    main()

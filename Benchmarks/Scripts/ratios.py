#!/usr/bin/env python3
"""Prints throughput, mallocs per operation and the ratios of one benchmark run (a JMH export of
ordo-one/benchmark). Every ratio divides two figures of the same run.

Rates come from the fastest sample (the 0th percentile of wall-clock time per sample): on a shared machine,
other work only ever adds time to a sample, so the fastest one is the closest to the code's own cost and
the steadiest from run to run. The ratios of the medians are printed beside them, for comparison; they
move with whatever else the machine was doing while each benchmark ran."""
import json
import re
import sys

TARGETS = {
    # algorithm: (minimum LayabAuth / OpenSSL, minimum LayabAuth / jwt-kit, minimum LayabAuth / OpenSSL-reused)
    "RS256": (0.90, 1.3, 0.95),
    "PS256": (0.90, None, 0.95),
    "ES256": (0.90, None, 0.95),
    "ES384": (0.90, None, None),
    "EdDSA": (0.90, None, 0.95),
    "HS256": (None, 4.0, None),
}
MAX_MALLOCS = 20
CACHE_HITS_PER_SECOND = 1_000_000


def load(path):
    results = {}
    for element in json.load(open(path)):
        name = element["benchmark"].split(".", 3)[-1].replace("_", " ")
        # Throughput is exported as whole samples per second, too coarse for slow operations: the wall-clock
        # time of a sample (in microseconds) gives the rate with full precision.
        best = median = element["primaryMetric"]["scorePercentiles"]["50.0"]
        mallocs = None
        for metric, value in element.get("secondaryMetrics", {}).items():
            percentiles = value["scorePercentiles"]
            if metric.lower().startswith("malloc (total)"):
                mallocs = percentiles["50.0"]
            if metric.lower().startswith("time (wall clock)") and percentiles["0.0"] > 0:
                best, median = 1e6 / percentiles["0.0"], 1e6 / percentiles["50.0"]
        results[name] = (best, median, mallocs)
    return results


def main():
    results = {}
    for path in sys.argv[1:]:
        results.update(load(path))
    # A sample is one operation for public-key verifications and JWK Set imports, 1000 operations for
    # everything else (VerificationBenchmarks.swift sets the same scaling factors).
    def per_op(name):
        best, _, mallocs = results[name]
        return best * scale(name), (mallocs / scale(name) if mallocs is not None else None)

    def median_rate(name):
        return results[name][1] * scale(name)

    def scale(name):
        public_key = name.startswith("Verify ") and " HS256 " not in name
        # DPoP proofs and bindings are public-key operations; a PostgreSQL use is a round trip.
        one_per_sample = name.startswith("DPoP ") or name.startswith("Replay Postgre") or name.startswith("Introspection cold")
        return 1 if public_key or one_per_sample or "KeySet" in name else 1000

    def fmt_rate(value):
        return f"{value:,.0f}"

    def fmt_mallocs(value):
        return "-" if value is None else f"{value:.1f}"

    def verdict(ok):
        return "met" if ok else "MISSED"

    print("| alg | LayabAuth ops/s | OpenSSL ops/s | OpenSSL-reused ops/s | jwt-kit ops/s | LayabAuth / OpenSSL "
          "| LayabAuth / OpenSSL-reused | LayabAuth / jwt-kit | at the medians: / OpenSSL · / OpenSSL-reused · / jwt-kit "
          "| mallocs/op: LayabAuth · OpenSSL · OpenSSL-reused · jwt-kit | targets |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|")
    for algorithm, (raw_target, peer_target, reused_target) in TARGETS.items():
        names = [f"Verify {algorithm} {who}" for who in ("LayabAuth", "OpenSSL", "OpenSSL-reused", "jwt-kit")]
        if not all(name in results for name in names):
            continue
        (ours, our_mallocs), (raw, raw_mallocs), (reused, reused_mallocs), (peer, peer_mallocs) = (per_op(name) for name in names)
        versus_raw, versus_reused, versus_peer = ours / raw, ours / reused, ours / peer
        checks = []
        if raw_target is not None:
            checks.append(f"≥ {raw_target:.2f}× OpenSSL {verdict(versus_raw >= raw_target)}")
        if reused_target is not None:
            checks.append(f"≥ {reused_target:.2f}× OpenSSL-reused {verdict(versus_reused >= reused_target)}")
        if peer_target is not None:
            checks.append(f"≥ {peer_target:g}× jwt-kit {verdict(versus_peer >= peer_target)}")
        checks.append(f"≤ {MAX_MALLOCS} mallocs {verdict(our_mallocs is not None and our_mallocs <= MAX_MALLOCS)}")
        mallocs = " · ".join(fmt_mallocs(value) for value in (our_mallocs, raw_mallocs, reused_mallocs, peer_mallocs))
        medians = " · ".join(f"{median_rate(names[0]) / median_rate(other):.2f}" for other in (names[1], names[2], names[3]))
        print(f"| {algorithm} | {fmt_rate(ours)} | {fmt_rate(raw)} | {fmt_rate(reused)} | {fmt_rate(peer)} | {versus_raw:.2f} "
              f"| {versus_reused:.2f} | {versus_peer:.2f} | {medians} | {mallocs} | {'; '.join(checks)} |")
    print()
    print("| operation | ops/s | mallocs/op | target |")
    print("|---|---:|---:|---|")
    for name in sorted(results):
        if name.startswith(("Verify ", "DPoP ", "Replay ", "Introspection ", "Issuers ")):
            continue
        rate, mallocs = per_op(name)
        target = ""
        if name.startswith("Cache hit"):
            target = f"≥ {CACHE_HITS_PER_SECOND:,} hits/s {verdict(rate >= CACHE_HITS_PER_SECOND)}"
        print(f"| {name} | {fmt_rate(rate)} | {fmt_mallocs(mallocs)} | {target} |")
    print_dpop(results, per_op, median_rate, fmt_rate, fmt_mallocs)
    print_new_features(results, per_op, median_rate, fmt_rate, fmt_mallocs, verdict)


DPOP_PROOF_MAX_TIME = 1.2  # a DPoP proof costs at most this many ES256 token verifications
ISSUER_SELECTION_MAX_EXTRA_US = 1.0  # 100 trusted issuers cost at most this much over one


def print_new_features(results, per_op, median_rate, fmt_rate, fmt_mallocs, verdict):
    """Issue 19 target 4: each new feature's row beside its nearest peer or primitive of the same run."""
    def us(name):
        return 1e6 / per_op(name)[0], 1e6 / median_rate(name)

    rows = []
    token, raw = "Verify ES256 LayabAuth", "Verify ES256 OpenSSL"
    if token in results:
        token_us, token_median = us(token)
        raw_us = us(raw)[0] if raw in results else None
        rows.append((token, token_us, token_median, "1.00× (the peer)", ""))
        if raw_us is not None:
            rows.append((raw, raw_us, us(raw)[1], f"{raw_us / token_us:.2f}×", ""))
        for proof, label in (("DPoP proof ES256 cold key", "cold key"), ("DPoP proof ES256 LayabAuth", "cached key")):
            if proof not in results:
                continue
            fastest, median = us(proof)
            ratio = fastest / token_us
            versus_raw = f"; {fastest / raw_us:.2f}× OpenSSL" if raw_us else ""
            rows.append((f"DPoP proof ES256, {label}", fastest, median,
                         f"{ratio:.2f}× (medians {median / token_median:.2f}×){versus_raw}",
                         f"≤ {DPOP_PROOF_MAX_TIME}× {verdict(ratio <= DPOP_PROOF_MAX_TIME)}"))
    for name in sorted(name for name in results if name.startswith("Replay ")):
        fastest, median = us(name)
        rows.append((name, fastest, median, "", ""))
    peer = "Cache hit JWKSVerifier.verify RS256"
    warm = "Introspection warm cache IntrospectionVerifier.verify"
    if warm in results:
        fastest, median = us(warm)
        beside = f"{fastest / us(peer)[0]:.2f}× the token cache hit" if peer in results else ""
        rate = per_op(warm)[0]
        rows.append((warm, fastest, median, beside, f"≥ {CACHE_HITS_PER_SECOND:,} hits/s {verdict(rate >= CACHE_HITS_PER_SECOND)} ({fmt_rate(rate)}/s)"))
    cold = "Introspection cold loopback IntrospectionVerifier.verify"
    if cold in results:
        fastest, median = us(cold)
        rows.append((cold, fastest, median, "one HTTP round trip on 127.0.0.1", ""))
    one, many = "Issuers selection among 1", "Issuers selection among 100"
    if one in results and many in results:
        one_us, many_us = us(one), us(many)
        extra = many_us[0] - one_us[0]
        rows.append((one, one_us[0], one_us[1], "", ""))
        rows.append((many, many_us[0], many_us[1], f"+{extra:.3f} µs over one (medians +{many_us[1] - one_us[1]:.3f})",
                     f"≤ +{ISSUER_SELECTION_MAX_EXTRA_US:g} µs {verdict(extra <= ISSUER_SELECTION_MAX_EXTRA_US)}"))
    if rows:
        print()
        print("| new feature (issue 19 §4) | µs/op (fastest) | µs/op (median) | beside | target |")
        print("|---|---:|---:|---|---|")
        for name, fastest, median, beside, target in rows:
            print(f"| {name} | {fastest:.3f} | {median:.3f} | {beside} | {target} |")


def print_dpop(results, per_op, median_rate, fmt_rate, fmt_mallocs):
    """The sender-constrained rows: DPoP proofs beside raw OpenSSL on the proof's own signature, a whole
    binding check, and the replay stores alone (PostgreSQL beside a bare SELECT 1 round trip)."""
    algorithms = sorted({name.split(" ")[2] for name in results if name.startswith("DPoP proof ")})
    if algorithms:
        print()
        print("| proof alg | DPoPProof.verify ops/s | OpenSSL ops/s | OpenSSL-reused ops/s | / OpenSSL | / OpenSSL-reused "
              "| at the medians: / OpenSSL | jwk import alone ops/s | binding check (in-memory store) ops/s "
              "| mallocs/op: proof · OpenSSL · jwk import · binding |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for algorithm in algorithms:
            names = [f"DPoP proof {algorithm} {who}" for who in ("LayabAuth", "OpenSSL", "OpenSSL-reused")]
            binding = f"DPoP binding {algorithm} in-memory store"
            if not all(name in results for name in names):
                continue
            (ours, our_mallocs), (raw, raw_mallocs), (reused, _) = (per_op(name) for name in names)
            bound, bound_mallocs = per_op(binding) if binding in results else (None, None)
            key_import = f"DPoP key {algorithm} jwk import"
            imported, import_mallocs = per_op(key_import) if key_import in results else (None, None)
            mallocs = " · ".join(fmt_mallocs(value) for value in (our_mallocs, raw_mallocs, import_mallocs, bound_mallocs))
            print(f"| {algorithm} | {fmt_rate(ours)} | {fmt_rate(raw)} | {fmt_rate(reused)} | {ours / raw:.2f} | {ours / reused:.2f} "
                  f"| {median_rate(names[0]) / median_rate(names[1]):.2f} | {'-' if imported is None else fmt_rate(imported)} "
                  f"| {'-' if bound is None else fmt_rate(bound)} | {mallocs} |")
    stores = sorted(name for name in results if name.startswith("Replay "))
    if stores:
        print()
        print("| replay store operation | ops/s (fastest sample) | µs/op (fastest) | µs/op (median) | mallocs/op |")
        print("|---|---:|---:|---:|---:|")
        for name in stores:
            rate, mallocs = per_op(name)
            median = median_rate(name)
            print(f"| {name.removeprefix('Replay ')} | {fmt_rate(rate)} | {1e6 / rate:.2f} | {1e6 / median:.2f} | {fmt_mallocs(mallocs)} |")


if __name__ == "__main__":
    main()

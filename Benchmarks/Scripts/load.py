#!/usr/bin/env python3
"""The example apps under load: wrk (Debian's) on loopback against GET /health (no token), GET /me (a valid
RS256 token; the answer is JSON encoded by the framework) and GET /whoami (the same token; the subject as plain
text, like /health's answer, so that authentication is the only difference), with the verified-token cache on
and off, in one run; also /health sent the same Authorization header (which it ignores), to tell the cost of a
longer request from the cost of authentication. Prints requests per second, the ratios and wrk's p99 latency.

    Benchmarks/Scripts/load.py [seconds per measurement]      # default 10

Both apps are built in release mode. Each app runs alone; wrk gets one thread and 32 connections, so that on a
2-core machine the server keeps most of the CPU. /health and /me alternate, twice each, and the better of the
two rounds counts, so that a change in the machine's load hits every side alike.
"""
import os
import re
import socket
import subprocess
import sys
import time

from bench_setup import AUDIENCE, ISSUER, build_release, machine, mint, work_folder

APPS = {"Hummingbird": "hummingbird-example", "Vapor": "vapor-example"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def wrk(port, path, token, seconds):
    command = ["wrk", "-t1", "-c32", f"-d{seconds}s", "--latency", "--timeout", "5s", f"http://127.0.0.1:{port}{path}"]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if non_2xx or errors:
        sys.exit(f"wrk saw failures on {path}: {non_2xx.group(0) if non_2xx else ''} {errors.group(0) if errors else ''}")
    return rate, p99_ms


def main():
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    work = work_folder("load")
    binaries = dict(zip(APPS, build_release(*APPS.values())))
    tokens, jwks = os.path.join(work, "token.txt"), os.path.join(work, "jwks.json")
    mint(1, tokens, jwks)
    token = open(tokens).read().strip()

    print(f"{machine()}; "
          f"wrk -t1 -c32, {seconds} s per measurement, best of 2 rounds")
    print("| app | token cache | /health req/s | /health+header req/s | /me req/s | /whoami req/s | /whoami ÷ /health | target "
          "| /whoami ÷ /health+header | /me ÷ /health | p99 /health | p99 /me | p99 /whoami |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    for app in APPS:
        for cache in (True, False):
            port = free_port()
            command = [binaries[app], "--port", str(port), "--jwks", jwks,
                       "--issuer", ISSUER, "--audience", AUDIENCE, "--token-cache-capacity", "10000" if cache else "0"]
            server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_listening(port)
                wrk(port, "/me", token, 2)  # warm-up: keys fetched, connections and caches warm
                best = {}
                for _ in range(2):
                    # "/health+header": /health sent the same Authorization header, which it ignores: what the
                    # request's extra bytes cost the framework, apart from authentication.
                    for name, path, sends in (("/health", "/health", False), ("/health+header", "/health", True),
                                              ("/me", "/me", True), ("/whoami", "/whoami", True)):
                        rate, p99 = wrk(port, path, token if sends else None, seconds)
                        if name not in best or rate > best[name][0]:
                            best[name] = (rate, p99)
            finally:
                server.terminate()
                server.wait(timeout=10)
            (health, health_p99), (me, me_p99), (whoami, whoami_p99) = best["/health"], best["/me"], best["/whoami"]
            header = best["/health+header"][0]
            # Issue 19: /whoami differs from /health by authentication alone.
            target = 0.95 if cache else 0.7
            verdict = "met" if whoami / health >= target else "MISSED"
            print(f"| {app} | {'on' if cache else 'off'} | {health:,.0f} | {header:,.0f} | {me:,.0f} | {whoami:,.0f} | {whoami / health:.2f} "
                  f"| ≥ {target} {verdict} | {whoami / header:.2f} | {me / health:.2f} | {health_p99:.2f} ms | {me_p99:.2f} ms | {whoami_p99:.2f} ms |",
                  flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Scans every log line a test run produced for token, credential and private-key material.

Usage: scan.py FILE_OR_DIRECTORY...    (a directory: every file in it)
       scan.py --self-test             (checks that each kind of leak is caught and clean lines pass)

A log line is one a swift-log stream handler wrote (`<ISO 8601 time> <level> ...`): the test process's own
loggers and those of the example apps the tests start (their output is kept in LAYABAUTH_TEST_LOG_DIR).
Other output (test names, expectation messages, tables) is not a log and is not scanned. Exit status 1 lists
each leak with its file and line; 0 says how many log lines were scanned.
"""
import os
import re
import sys

LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}) (trace|debug|info|notice|warning|error|critical) ")

# What must never be logged: a compact JWS or JWE (an access token, a DPoP proof, a client assertion), an
# Authorization or DPoP credential, a PEM private key, a JWK's private members, a client secret in a form.
LEAKS = [
    ("compact JWS/JWT", re.compile(r"eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{6,}")),
    # token68 (RFC 7235): its own characters, then only "=" padding; "Bearer key=value" is no credential.
    ("Authorization credential", re.compile(r"\b(Bearer|DPoP|Basic)\s+[A-Za-z0-9._~+/-]{12,}=*(?![A-Za-z0-9._~+/=-])")),
    ("PEM private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("JWK private member", re.compile(r"\"(d|p|q|dp|dq|qi|k)\"\s*:\s*\"[A-Za-z0-9_-]{8,}\"")),
    ("form credential", re.compile(r"\b(client_secret|client_assertion|refresh_token|access_token|token)=[A-Za-z0-9._~%+/-]{8,}")),
]


def leaks_in(line):
    return [name for name, pattern in LEAKS if pattern.search(line)]


def scan(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, name) for name in os.listdir(path))
        elif os.path.exists(path):
            files.append(path)
    scanned, found = 0, []
    for file in files:
        with open(file, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if not LOG_LINE.match(line):
                    continue
                scanned += 1
                for name in leaks_in(line):
                    found.append(f"{file}:{number}: {name}: {line.strip()[:300]}")
    return scanned, files, found


SELF_TEST_LEAKS = [
    "2026-12-07T12:03:05+0000 debug api: token refused: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz",
    "2026-12-07T12:03:05+0000 info api: header Authorization: Bearer abcdefghijklmnopqrstuvwxyz",
    "2026-12-07T12:03:05+0000 info api: header Authorization: Basic cnM6Y2xpZW50LXNlY3JldA== next",
    "2026-12-07T12:03:05+0000 warning api: key -----BEGIN PRIVATE KEY----- MIGH",
    '2026-12-07T12:03:05+0000 error api: jwk {"kty":"EC","d":"qwertyuiopasdfgh"}',
    "2026-12-07T12:03:05+0000 debug api: posted client_secret=s3cret-for-introspection",
]
SELF_TEST_CLEAN = [
    "2026-12-07T12:03:05+0000 debug api: token refused: expired: the token expired 2 minutes ago token.sha256=1a2b3c4d5e6f token.kid=k1",
    "2026-12-07T12:03:05+0000 info api: key set changed: added k2, removed k1 jwks.source=http://127.0.0.1:4000/jwks.json",
    "2026-12-07T12:03:05+0000 debug api: layabauth.scheme=Bearer layabauth.verifier=jwks [LayabAuthJWKS] token refused: expired",
    "not a log line: eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz",
]


def self_test():
    failures = [f"missed: {line}" for line in SELF_TEST_LEAKS if not (LOG_LINE.match(line) and leaks_in(line))]
    failures += [f"flagged: {line}" for line in SELF_TEST_CLEAN if LOG_LINE.match(line) and leaks_in(line)]
    for failure in failures:
        print(f"log hygiene self-test: {failure}", file=sys.stderr)
    return 1 if failures else 0


def main(arguments):
    if arguments == ["--self-test"]:
        return self_test()
    if not arguments:
        print(__doc__, file=sys.stderr)
        return 2
    scanned, files, found = scan(arguments)
    if not files:
        print("log hygiene: nothing to scan in " + " ".join(arguments), file=sys.stderr)
        return 2
    for leak in found:
        print(f"log hygiene: {leak}", file=sys.stderr)
    if found:
        print(f"log hygiene FAILED: {len(found)} leak(s) in {scanned} log lines of {len(files)} file(s)", file=sys.stderr)
        return 1
    print(f"log hygiene: {scanned} log lines in {len(files)} file(s), no token, credential or private key")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

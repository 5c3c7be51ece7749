#!/usr/bin/env python3
"""The joserfc side of the batch comparison (batch.py): what `layabauth verify -` does, in Python.

Reads one token per line on standard input and writes one result per line, in order: the same checks
(RS256 signature with the key the kid names, exp with 30 s of leeway, iss, aud) and the same streaming.

    batch_joserfc.py <jwks file> <issuer> <audience> [--json] < tokens.txt

Without --json a line names the token's `sub` and `exp`; with --json it is one JSON object per token holding its
header and every claim (what `layabauth verify - --json` writes), or the error.
"""
import json
import sys

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


def main():
    jwks_path, issuer, audience = sys.argv[1:4]
    as_json = "--json" in sys.argv[4:]
    with open(jwks_path) as file:
        keys = KeySet.import_key_set(json.load(file))
    claims = jwt.JWTClaimsRegistry(
        leeway=30,
        exp={"essential": True},
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
    )
    out = sys.stdout
    for line in sys.stdin:
        token = line.strip()
        if not token:
            continue
        try:
            decoded = jwt.decode(token, keys, algorithms=["RS256"])
            claims.validate(decoded.claims)
            if as_json:
                out.write(json.dumps({"valid": True, "header": decoded.header, "claims": decoded.claims}, separators=(",", ":")) + "\n")
            else:
                out.write(f"valid sub={decoded.claims.get('sub')} exp={decoded.claims.get('exp')}\n")
        except (JoseError, ValueError) as error:
            if as_json:
                out.write(json.dumps({"valid": False, "error": type(error).__name__, "message": str(error)}, separators=(",", ":")) + "\n")
            else:
                out.write(f"invalid {type(error).__name__}: {error}\n")


if __name__ == "__main__":
    main()

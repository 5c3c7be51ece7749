#!/usr/bin/env python3
"""joserfc as an independent judge for LayabAuth's differential tests.

The Swift tests in Tests/LayabAuthTests/Differential/ run this script as a subprocess. Each run reads one
JSON request on stdin and writes one JSON answer on stdout; nothing else is written to stdout.

Commands
  {"command": "capabilities"}
      -> {"joserfc": "1.6.5", "algorithms": [...]}
  {"command": "mint", "profiles": [{"name", "alg", "kid", "key": KEYSPEC, "messages": [MESSAGE, ...]}]}
      Generates one key per profile with joserfc (or with cryptography where joserfc has no generator for
      the requested shape, then imported into joserfc) and signs every message with joserfc:
        {"mode": "compact", "header": {...}, "payload": "text"}   jws.serialize_compact, the public API
        {"mode": "raw", "alg": "RS384", "signing_input": "h.p"}  the algorithm model of joserfc's registry
                                                                  over exact bytes (re-encoded headers)
        {"mode": "confusion", "alg": "HS256", "signing_input": "h.p"}
                                                                  HMAC keyed with the public key's PEM
      -> {"profiles": [{"name", "jwk": public JWK (the secret for oct), "tokens": ["...", ...]}]}
      KEYSPEC: {"kty": "RSA", "bits": 2048, "exponent": 65537} | {"kty": "EC", "crv": "P-256"}
             | {"kty": "OKP", "crv": "Ed25519"} | {"kty": "oct", "bytes": 64}
  {"command": "verify", "now": N, "leeway": 30, "algorithms": [...], "cases": [{"name", "token", "jwks"}]}
      jwt.decode with the JWK Set and the allowed algorithms, then JWTClaimsRegistry(now, leeway,
      exp essential) validates the claims, as a resource server configured like LayabAuth would.
      -> {"verdicts": [{"name", "accepted": true|false, "error": "ExceptionClass: message"}]}
"""

import base64
import json
import sys
import warnings

# SecurityWarning for small keys, EdDSA's deprecation, oct keys that look like PEM: the judge must not
# print them, and they change no verdict.
warnings.simplefilter("ignore")

try:
    import joserfc
    from joserfc import jws, jwt
    from joserfc.jwk import ECKey, KeySet, OctKey, OKPKey, RSAKey
    from joserfc.jws import JWSRegistry
    from joserfc.jwt import JWTClaimsRegistry
except ImportError as error:  # the Swift side turns this into a skip, or a failure under CI=true
    print(json.dumps({"error": f"joserfc is not importable: {error}"}))
    sys.exit(3)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_key(spec: dict, kid: str):
    kty = spec["kty"]
    parameters = {"kid": kid}
    if kty == "RSA":
        exponent = spec.get("exponent", 65537)
        if exponent == 65537:
            return RSAKey.generate_key(spec["bits"], parameters=parameters)
        # joserfc always generates e = 65537; other exponents come from cryptography, then joserfc imports them.
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=exponent, key_size=spec["bits"])
        return RSAKey.import_key(private, parameters=parameters)
    if kty == "EC":
        return ECKey.generate_key(spec["crv"], parameters=parameters)
    if kty == "OKP":
        return OKPKey.generate_key(spec["crv"], parameters=parameters)
    if kty == "oct":
        return OctKey.generate_key(spec["bytes"] * 8, parameters=parameters)
    raise ValueError(f"unknown key type {kty}")


def sign_message(key, message: dict) -> str:
    mode = message["mode"]
    if mode == "compact":
        payload = message["payload"].encode("utf-8")
        header = message["header"]
        return jws.serialize_compact(header, payload, key, algorithms=[header["alg"]])
    signing_input = message["signing_input"].encode("ascii")
    algorithm = JWSRegistry.algorithms[message["alg"]]
    if mode == "raw":
        algorithm.check_key(key)
        return message["signing_input"] + "." + b64url(algorithm.sign(signing_input, key))
    if mode == "confusion":
        secret = OctKey.import_key(key.as_pem(private=False))
        return message["signing_input"] + "." + b64url(algorithm.sign(signing_input, secret))
    raise ValueError(f"unknown signing mode {mode}")


def mint(request: dict) -> dict:
    profiles = []
    for profile in request["profiles"]:
        key = generate_key(profile["key"], profile["kid"])
        tokens = [sign_message(key, message) for message in profile["messages"]]
        # The verifiers get the public key; for HMAC the secret is the key.
        jwk = key.as_dict(private=key.key_type == "oct")
        profiles.append({"name": profile["name"], "jwk": jwk, "tokens": tokens})
    return {"profiles": profiles}


def verify(request: dict) -> dict:
    now, leeway, algorithms = request["now"], request["leeway"], request["algorithms"]
    key_sets: dict = {}
    verdicts = []
    for case in request["cases"]:
        verdict = {"name": case["name"], "accepted": False, "error": None}
        try:
            text = json.dumps(case["jwks"], sort_keys=True)
            if text not in key_sets:
                key_sets[text] = KeySet.import_key_set(case["jwks"])
            token = jwt.decode(case["token"], key_sets[text], algorithms=algorithms)
            if not isinstance(token.claims, dict):
                raise ValueError(f"the payload is {type(token.claims).__name__}, not a claims object")
            JWTClaimsRegistry(now=now, leeway=leeway, exp={"essential": True}).validate(token.claims)
            verdict["accepted"] = True
        except Exception as error:  # every refusal, whatever joserfc raises, is a verdict
            verdict["error"] = f"{type(error).__name__}: {error}"[:300]
        verdicts.append(verdict)
    return {"verdicts": verdicts}


def main() -> int:
    request = json.load(sys.stdin)
    command = request.get("command")
    if command == "capabilities":
        answer = {"joserfc": joserfc.__version__, "algorithms": sorted(JWSRegistry.algorithms)}
    elif command == "mint":
        answer = mint(request)
    elif command == "verify":
        answer = verify(request)
    else:
        print(json.dumps({"error": f"unknown command {command!r}"}))
        return 2
    json.dump(answer, sys.stdout, ensure_ascii=True, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

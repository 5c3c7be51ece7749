#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets into Corpus/<target>/.

The keys are fixed so that the tokens verify against the key set compiled into FuzzToken: the EC and
Ed25519 keys come from constant scalars, the RSA key from primes of a seeded generator. They are for
fuzzing only and trusted nowhere.
Run it again only to change the seeds; it needs python3-cryptography. Prints the public JWK Set that
FuzzToken/main.swift must hold.
"""
import base64
import datetime
import json
import pathlib
import random
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.x509.oid import NameOID

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "Corpus"
NOW = 1_800_000_000  # FuzzToken's fixed clock.
HMAC_SECRET = bytes(range(0x40, 0x60))  # 32 bytes, FuzzToken's configured secret (kid hs-1).


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def probable_prime(rng: random.Random, bits: int) -> int:
    """A prime from a seeded generator (Miller-Rabin, 40 rounds), so the RSA key is the same on every run."""
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if candidate % 65537 == 1 or any(candidate % p == 0 for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)):
            continue
        d, r = candidate - 1, 0
        while d % 2 == 0:
            d, r = d // 2, r + 1
        for _ in range(40):
            x = pow(rng.randrange(2, candidate - 1), d, candidate)
            if x in (1, candidate - 1):
                continue
            for _ in range(r - 1):
                x = pow(x, 2, candidate)
                if x == candidate - 1:
                    break
            else:
                break
        else:
            return candidate


def rsa_key():
    rng = random.Random("LayabAuth fuzzing RSA key")
    p, q = probable_prime(rng, 1024), probable_prime(rng, 1024)
    n, e = p * q, 65537
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, n))
    return numbers.private_key()


RSA = rsa_key()
EC256 = ec.derive_private_key(0x1D5E2A7C_0F3B_4C11_9E8D_6A5B4C3D2E1F0A9B_8C7D6E5F4A3B2C1D, ec.SECP256R1())
EC384 = ec.derive_private_key(0x5A4B3C2D1E0F_00112233445566778899AABBCCDDEEFF_0123456789ABCDEF_FEDCBA9876543210, ec.SECP384R1())
EC521 = ec.derive_private_key(0x1234567890ABCDEF_1234567890ABCDEF_1234567890ABCDEF_1234567890ABCDEF_77, ec.SECP521R1())
ED = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


def ec_jwk(key, crv, size, kid=None, alg=None):
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": crv, "x": b64(numbers.x.to_bytes(size, "big")), "y": b64(numbers.y.to_bytes(size, "big"))}
    if kid:
        jwk["kid"] = kid
    if alg:
        jwk["alg"] = alg
    return jwk


def rsa_jwk(key, kid):
    numbers = key.public_key().public_numbers()
    n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "kid": kid, "n": b64(n), "e": b64(numbers.e.to_bytes(3, "big"))}


def ed_jwk(key, kid):
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": b64(raw)}


FIXED_KEYS = {"keys": [
    rsa_jwk(RSA, "rsa-1"),
    ec_jwk(EC256, "P-256", 32, "ec-256", "ES256"),
    ec_jwk(EC384, "P-384", 48, "ec-384"),
    ec_jwk(EC521, "P-521", 66),  # no kid: picked for kidless ES512 tokens
    ed_jwk(ED, "ed-1"),
]}


def sign(alg: str, signing_input: bytes) -> bytes:
    if alg in ("RS256", "RS384", "RS512"):
        digest = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}[alg]()
        return RSA.sign(signing_input, padding.PKCS1v15(), digest)
    if alg in ("PS256", "PS384", "PS512"):
        digest = {"PS256": hashes.SHA256, "PS384": hashes.SHA384, "PS512": hashes.SHA512}[alg]()
        return RSA.sign(signing_input, padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size), digest)
    if alg in ("ES256", "ES384", "ES512"):
        key, digest, size = {"ES256": (EC256, hashes.SHA256(), 32), "ES384": (EC384, hashes.SHA384(), 48),
                             "ES512": (EC521, hashes.SHA512(), 66)}[alg]
        r, s = utils.decode_dss_signature(key.sign(signing_input, ec.ECDSA(digest)))
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg in ("EdDSA", "Ed25519"):
        return ED.sign(signing_input)
    if alg == "HS256":
        mac = hmac.HMAC(HMAC_SECRET, hashes.SHA256())
        mac.update(signing_input)
        return mac.finalize()
    raise ValueError(alg)


def claims(**changes):
    base = {"iss": "https://issuer.example", "aud": "api", "sub": "alice", "iat": NOW - 60, "nbf": NOW - 60,
            "exp": NOW + 3600, "scope": "read write"}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def token(header, payload, alg=None) -> str:
    header_bytes = header if isinstance(header, bytes) else compact(header)
    payload_bytes = payload if isinstance(payload, bytes) else compact(payload)
    signing_input = (b64(header_bytes) + "." + b64(payload_bytes)).encode()
    alg = alg or header["alg"]
    return signing_input.decode() + "." + b64(sign(alg, signing_input))


def write(target: str, name: str, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def main():
    tokens = {
        "rs256": token({"alg": "RS256", "kid": "rsa-1", "typ": "JWT"}, claims()),
        "ps256": token({"alg": "PS256", "kid": "rsa-1"}, claims(scope=None, scp=["read"])),
        "rs512": token({"alg": "RS512", "kid": "rsa-1"}, claims(aud=["web", "api"])),
        "es256": token({"alg": "ES256", "kid": "ec-256", "typ": "at+jwt"}, claims()),
        "es384": token({"alg": "ES384", "kid": "ec-384"}, claims(scopes=["read"])),
        "es512-kidless": token({"alg": "ES512"}, claims()),
        "eddsa": token({"alg": "EdDSA", "kid": "ed-1"}, claims()),
        "ed25519": token({"alg": "Ed25519", "kid": "ed-1"}, claims(cnf={"jkt": "x"})),
        "hs256": token({"alg": "HS256", "kid": "hs-1"}, claims()),
        "expired": token({"alg": "ES256", "kid": "ec-256"}, claims(exp=NOW - 3600)),
        "wrong-audience": token({"alg": "ES256", "kid": "ec-256"}, claims(aud="other")),
        "unknown-kid": token({"alg": "ES256", "kid": "nobody"}, claims(), alg="ES256"),
        "crit": token({"alg": "ES256", "kid": "ec-256", "crit": ["exp"], "exp": 1}, claims()),
        "b64-false": token({"alg": "ES256", "kid": "ec-256", "b64": False, "crit": ["b64"]}, claims()),
        "embedded-jwk": token({"alg": "ES256", "jwk": ec_jwk(EC256, "P-256", 32)}, claims()),
        "payload-text": token({"alg": "ES256", "kid": "ec-256", "cty": "text/plain"}, b"hello, \xc3\xa9t\xc3\xa9"),
        "numbers": token({"alg": "ES256", "kid": "ec-256"}, claims(exp=float(NOW + 3600), nbf=1.5e9, x=[1e300, -0.0, 12345678901234567890])),
        "nested": token({"alg": "ES256", "kid": "ec-256"}, claims(a=[[[[{"b": [None, True, False, "\u2028\ud83d\ude00"]}]]]])),
        "alg-none": b64(b'{"alg":"none"}') + "." + b64(compact(claims())) + ".",
        "jwe": b64(b'{"alg":"RSA-OAEP","enc":"A256GCM"}') + "." + b64(bytes(256)) + "." + b64(bytes(12)) + "." + b64(b"ciphertext") + "." + b64(bytes(16)),
    }
    es = tokens["es256"].split(".")
    tokens["json-general"] = json.dumps({"payload": es[1], "signatures": [{"protected": es[0], "signature": es[2]}]})
    tokens["json-flattened"] = json.dumps({"payload": es[1], "protected": es[0], "signature": es[2]})
    for name, value in tokens.items():
        write("FuzzToken", name + (".json" if name.startswith("json") else ".jwt"), value)

    hs = {"alg": "HS256", "kid": "hs-1"}
    signed = {
        "valid": (dict(hs, typ="JWT"), claims()),
        "kidless": ({"alg": "HS256"}, claims(aud=["web", "api"], scope=None, scp=["read", "write"])),
        "expired": (hs, claims(exp=NOW - 31)),
        "within-leeway": (hs, claims(exp=NOW - 29, nbf=NOW + 29, iat=NOW + 29)),
        "not-yet-valid": (hs, claims(nbf=NOW + 3600)),
        "issued-in-future": (hs, claims(iat=NOW + 3600)),
        "wrong-issuer": (hs, claims(iss="https://issuer.example/")),
        "decomposed-issuer": (hs, claims(iss="https://issue\u0301r.example", aud="a\u030a")),
        "string-date": (hs, claims(exp=str(NOW + 3600))),
        "huge-date": (hs, claims(exp=1e300, nbf=-1e11)),
        "no-exp": (hs, claims(exp=None)),
        "audience-mixed": (hs, claims(aud=["api", 1])),
        "scope-types": (hs, claims(scope=["read"], scp="read write", scopes=None)),
        "crit": (dict(hs, crit=["exp"]), claims()),
        "b64": (dict(hs, b64=True), claims()),
        "alg-none": ({"alg": "nOnE"}, claims()),
        "other-alg": ({"alg": "HS384", "kid": "hs-1"}, claims()),
        "control-kid": ({"alg": "HS256", "kid": "hs-1\u0000\r\n"}, claims()),
        "payload-array": (hs, b"[1,2,3]"),
        "payload-empty": (hs, b""),
        "duplicate-claim": (hs, b'{"exp":1800003600,"exp":1}'),
        "deep": (hs, b'{"a":' + b"[" * 70 + b"]" * 70 + b"}"),
        "numbers": (hs, b'{"exp":1.8000036e9,"nbf":-0,"iat":1E3,"x":[1e308,-1e-308,123456789012345678901234567890]}'),
    }
    for name, (header, payload) in signed.items():
        payload_bytes = payload if isinstance(payload, bytes) else compact(payload)
        write("FuzzSignedToken", name + ".txt", compact(header) + b"\n" + payload_bytes)

    headers = {
        "bearer-es256": "Bearer " + tokens["es256"],
        "bearer-lowercase-spaces": "bearer   " + tokens["hs256"] + "  ",
        "bearer-tab": "BEARER\t" + tokens["eddsa"],
        "padding": "Bearer mF_9.B5f-4.1JqM==",
        "token68-chars": "Bearer a~b+c/d-e.f_g",
        "only-padding": "Bearer ===",
        "two-values": "Bearer abc def",
        "comma": "Bearer abc, Basic xyz",
        "basic": "Basic dXNlcjpwYXNzd29yZA==",
        "scheme-only": "Bearer",
        "empty": "",
        "non-ascii": "Bearer t\u00f6ken",
        "control": "Bearer abc\r\nX-Injected: 1",
    }
    for name, value in headers.items():
        write("FuzzBearer", name + ".txt", value)

    not_before = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fuzz issuer")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(RSA.public_key())
                   .serial_number(1).not_valid_before(not_before).not_valid_after(not_before + datetime.timedelta(days=3650))
                   .sign(RSA, hashes.SHA256()))
    with_x5c = dict(rsa_jwk(RSA, "rsa-x5c"), x5c=[base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()],
                    use="sig", alg="RS256", key_ops=["verify"])
    jwks = {
        "fixed-keys": FIXED_KEYS,
        "x5c": {"keys": [with_x5c]},
        "single-jwk": ed_jwk(ED, "ed-1"),
        "oct-and-public": {"keys": [{"kty": "oct", "kid": "hs-1", "k": b64(HMAC_SECRET), "alg": "HS256"}, ec_jwk(EC256, "P-256", 32, "ec-256")]},
        "oct-only": {"keys": [{"kty": "oct", "k": b64(HMAC_SECRET)}]},
        "shared-kid": {"keys": [ec_jwk(EC256, "P-256", 32, "k"), ec_jwk(EC384, "P-384", 48, "k"), ec_jwk(EC256, "P-256", 32, "k")]},
        "odd-members": {"keys": [
            dict(ec_jwk(EC256, "P-256", 32, "enc"), use="enc"),
            {"kty": "EC", "crv": "secp256k1", "kid": "k1", "x": b64(bytes(32)), "y": b64(bytes(32))},
            {"kty": "OKP", "crv": "Ed448", "x": b64(bytes(57))},
            {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
            {"kty": "XYZ"}, 1, None, [], {"kty": "EC", "crv": "P-256", "x": 5},
            dict(ec_jwk(EC256, "P-256", 32, "wrong-alg"), alg="RS256"),
        ], "extra": True},
    }
    for name, value in jwks.items():
        write("FuzzJWKS", name + ".json", json.dumps(value, indent=1 if name == "x5c" else None))
    print(json.dumps(FIXED_KEYS, separators=(",", ":")))


if __name__ == "__main__":
    sys.exit(main())

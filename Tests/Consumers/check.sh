#!/usr/bin/env bash
# The package shape, checked as a user meets it (docs/architecture.md, "Package shape"): throwaway consumer
# packages that depend on this checkout by path, resolved and built from scratch.
#   verifier-only: LayabAuth + LayabAuthJWKS, no trait  -> no Vapor, Hummingbird, SwiftNIO, postgres-nio or OpenAPIKit
#                  is resolved, fetched or compiled
#   hummingbird:   LayabAuthHummingbird, trait Hummingbird -> Hummingbird, and still no Vapor (nor swift-nio-ssl compiled)
# Usage: Tests/Consumers/check.sh [verifier-only|hummingbird]...   (both by default)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The consumers name the package "layabauth" whatever this checkout's folder is called.
ln -s "$root" "$work/layabauth"

fail() { echo "consumer check FAILED: $*" >&2; exit 1; }

# consumer NAME TRAITS PRODUCTS: writes $work/NAME/Package.swift; main.swift comes from stdin.
consumer() {
    mkdir -p "$work/$1/Sources/$1"
    cat > "$work/$1/Package.swift" <<MANIFEST
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "$1",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../layabauth", traits: [$2])],
    targets: [.executableTarget(name: "$1", dependencies: [$3])]
)
MANIFEST
    cat > "$work/$1/Sources/$1/main.swift"
}

# resolve_and_build NAME: resolves, lists the packages in the graph, builds and runs the consumer.
resolve_and_build() {
    (cd "$work/$1" && swift package resolve >/dev/null 2>&1) || fail "$1 does not resolve"
    (cd "$work/$1" && swift package show-dependencies --format flatlist) | sort -u > "$work/$1.packages"
    ls "$work/$1/.build/checkouts" 2>/dev/null | sort > "$work/$1.checkouts" || true
    echo "$1 resolves $(wc -l < "$work/$1.packages") packages: $(tr '\n' ' ' < "$work/$1.packages")"
    echo "$1 fetched: $(tr '\n' ' ' < "$work/$1.checkouts")"
    (cd "$work/$1" && swift build > "$work/$1.build.log" 2>&1) || { tail -30 "$work/$1.build.log" >&2; fail "$1 does not build"; }
    find "$work/$1/.build/debug/Modules" -name '*.swiftmodule' -printf '%f\n' 2>/dev/null | sed 's/\.swiftmodule$//' | sort > "$work/$1.modules"
    echo "$1 compiled modules: $(tr '\n' ' ' < "$work/$1.modules")"
    output="$("$work/$1/.build/debug/$1")" || fail "$1 did not run"
    echo "$1 ran: $output"
}

# absent NAME PATTERN WHAT: nothing matching PATTERN was resolved, fetched or compiled.
absent() {
    if grep -qiE "$2" "$work/$1.packages" "$work/$1.checkouts" "$work/$1.modules"; then
        grep -iE "$2" "$work/$1.packages" "$work/$1.checkouts" "$work/$1.modules" >&2
        fail "$1 pulled in $3"
    fi
}

# not_compiled NAME PATTERN WHAT: nothing matching PATTERN was compiled (it may be resolved: another product of
# a package in the graph uses it).
not_compiled() {
    if grep -qiE "$2" "$work/$1.modules"; then fail "$1 compiled $3"; fi
}

present() {
    grep -qiE "$2" "$work/$1.modules" || fail "$1 did not compile $3"
}

check_verifier_only() {
    consumer VerifierOnly "" '.product(name: "LayabAuth", package: "layabauth"), .product(name: "LayabAuthJWKS", package: "layabauth")' <<'SWIFT'
import LayabAuth
import LayabAuthJWKS

let keys = try KeySet(jwksJSON: #"{"keys":[{"kty":"oct","kid":"k","alg":"HS256","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}]}"#)
let verifier = try JWKSVerifier(source: StaticKeySource(keys))
let report = await verifier.report("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")
print(report.errors.first?.code.rawValue ?? "valid")
SWIFT
    resolve_and_build VerifierOnly
    absent VerifierOnly 'vapor|hummingbird|swift-nio|^nio|postgres|openapikit|docc|prometheus' "a framework, PostgreSQL, OpenAPIKit, Prometheus or the documentation plugin"
    present VerifierOnly '^LayabAuthJWKS$' "LayabAuthJWKS"
}

check_hummingbird() {
    consumer HummingbirdApp '"Hummingbird"' '.product(name: "LayabAuthHummingbird", package: "layabauth")' <<'SWIFT'
import Hummingbird
import HummingbirdAuth
import LayabAuth
import LayabAuthJWKS
import LayabAuthHummingbird

let verifier = try JWKSVerifier(source: StaticKeySource(.empty))
let router = Router(context: BasicAuthRequestContext<VerifiedToken>.self)
router.add(middleware: BearerTokenAuthenticator(verifier: verifier))
print("router built")
SWIFT
    resolve_and_build HummingbirdApp
    absent HummingbirdApp 'vapor|postgres|docc' "Vapor, PostgreSQL or the documentation plugin"
    not_compiled HummingbirdApp '^NIOSSL$' "swift-nio-ssl (only the HummingbirdTLS trait needs it)"
    present HummingbirdApp '^Hummingbird$' "Hummingbird"
    present HummingbirdApp '^LayabAuthHummingbird$' "LayabAuthHummingbird"
}

for check in "${@:-verifier-only hummingbird}"; do
    for name in $check; do
        case "$name" in
        verifier-only) check_verifier_only ;;
        hummingbird) check_hummingbird ;;
        *) fail "unknown consumer $name" ;;
        esac
    done
done
echo "consumer check: passed"

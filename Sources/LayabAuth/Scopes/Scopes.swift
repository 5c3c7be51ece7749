/// How a token's granted scopes are read from its claims.
///
/// The standard extractor unites `scope` (RFC 8693 §4.2, space-delimited), `scp` (a string or an array,
/// as Okta and Azure AD write it) and `scopes` (an array, as layabauth's examples do). A custom one plays
/// the part of layabauth's `scopes(token, token_body)` callable.
public struct ScopeExtractor: Sendable {
    public let extract: @Sendable (_ rawToken: String, _ claims: Claims) -> [String]

    public init(_ extract: @escaping @Sendable (_ rawToken: String, _ claims: Claims) -> [String]) {
        self.extract = extract
    }

    /// The claims the standard extractor reads.
    public static let standardClaims = ["scope", "scp", "scopes"]
    private static let standardRegisteredClaims: [RegisteredClaim] = [.scope, .scp, .scopes]

    public static let standard = ScopeExtractor { _, claims in
        var scopes: [String] = []
        // Duplicates are found by comparing bytes: linearly for the few scopes tokens carry, with a set
        // once there are many (a 16 KiB token can hold thousands of one-letter scopes).
        var seen: Set<[UInt8]>?
        for claim in standardRegisteredClaims {
            forEachString(claims[claim]) { scope in
                if var set = seen {
                    seen = nil
                    if set.insert(Array(scope.utf8)).inserted { scopes.append(scope) }
                    seen = set
                } else if !scopes.contains(where: { $0.hasSameUTF8(as: scope) }) {
                    // One allocation for the usual handful of scopes instead of growing 1, 2, 4.
                    if scopes.isEmpty { scopes.reserveCapacity(8) }
                    scopes.append(scope)
                    if scopes.count == 32 { seen = Set(scopes.map { Array($0.utf8) }) }
                }
            }
        }
        return scopes
    }

    /// Scopes from one claim only (a string is split on spaces, an array taken element by element).
    public static func claim(_ name: String) -> ScopeExtractor {
        ScopeExtractor { _, claims in strings(claims[name]) }
    }

    /// A scope claim's values: a string split on spaces, or an array's strings.
    public static func strings(_ value: JSONValue?) -> [String] {
        var strings: [String] = []
        forEachString(value) { strings.append($0) }
        return strings
    }

    /// Calls `body` with each of a scope claim's values, in order, without building a list.
    static func forEachString(_ value: JSONValue?, _ body: (String) -> Void) {
        switch value {
        case let .string(text)?:
            // ASCII text splits on the space byte exactly as on the space Character, over the bytes in
            // place; other text (and a string without contiguous bytes, which only bridging makes) keeps
            // Character semantics: a space followed by a combining mark is not a separator.
            let splitASCII = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
                for byte in bytes where byte >= 0x80 { return false }
                var start = 0
                for index in bytes.indices where bytes[index] == UInt8(ascii: " ") {
                    if index != start { body(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) }
                    start = index + 1
                }
                if start != bytes.count { body(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
                return true
            }
            if splitASCII != true {
                for part in text.split(separator: " ", omittingEmptySubsequences: true) { body(String(part)) }
            }
        case let .array(values)?:
            for value in values { if case let .string(string) = value { body(string) } }
        default:
            break
        }
    }
}

/// Scopes a route requires.
public struct ScopeRequirement: Sendable, Hashable, CustomStringConvertible {
    public enum Mode: String, Sendable, Hashable { case all, any }

    public let scopes: [String]
    public let mode: Mode

    public init(_ scopes: [String], mode: Mode = .all) {
        self.scopes = scopes
        self.mode = mode
    }

    /// Every scope must be granted.
    public static func all(_ scopes: String...) -> ScopeRequirement { ScopeRequirement(scopes, mode: .all) }
    /// At least one scope must be granted.
    public static func any(_ scopes: String...) -> ScopeRequirement { ScopeRequirement(scopes, mode: .any) }

    public var description: String {
        scopes.isEmpty ? "no scopes" : "\(mode == .all ? "all of" : "any of") [\(scopes.joined(separator: ", "))]"
    }

    /// Whether `granted` satisfies this requirement: the verdict of ``evaluate(granted:)`` without
    /// building the evaluation (the path of every request that passes).
    public func isSatisfied(granted: [String]) -> Bool {
        if scopes.isEmpty { return true }
        if granted.count > 16 { return evaluate(granted: granted).isSatisfied }
        func has(_ scope: String) -> Bool { granted.contains { $0.hasSameUTF8(as: scope) } }
        return mode == .all ? scopes.allSatisfy(has) : scopes.contains(where: has)
    }

    public func evaluate(granted: [String]) -> ScopeEvaluation {
        // Scope tokens are exact, case-sensitive strings (RFC 6749 §3.3), compared code point by code point:
        // a Set<String> would equate canonically equivalent spellings ("e" + U+0301 and "é", the Kelvin sign and "K").
        // Few granted scopes (the usual case) compare linearly; many go through a set.
        let grantedSet = granted.count > 16 ? Set(granted.map { Array($0.utf8) }) : nil
        func isGranted(_ scope: String) -> Bool {
            if let grantedSet { return grantedSet.contains(Array(scope.utf8)) }
            return granted.contains { $0.hasSameUTF8(as: scope) }
        }
        let present = scopes.filter(isGranted)
        let missing = scopes.filter { !isGranted($0) }
        let satisfied = scopes.isEmpty || (mode == .all ? missing.isEmpty : !present.isEmpty)
        return ScopeEvaluation(requirement: self, granted: granted, present: present, missing: missing, isSatisfied: satisfied)
    }
}

/// Which required scopes a token has, and which it lacks.
public struct ScopeEvaluation: Sendable, Hashable {
    public let requirement: ScopeRequirement
    /// Every scope the token grants, in the order found.
    public let granted: [String]
    /// Required scopes the token grants.
    public let present: [String]
    /// Required scopes the token lacks.
    public let missing: [String]
    public let isSatisfied: Bool

    /// The `insufficient_scope` error for an unsatisfied requirement, nil when satisfied.
    public var error: LayabAuthError? {
        guard !isSatisfied else { return nil }
        let has = granted.isEmpty ? "the token grants no scopes" : "the token grants [\(LayabAuthError.shownList(granted, quoted: false))]"
        let needs = requirement.mode == .all
            ? "missing scope\(missing.count == 1 ? "" : "s") [\(missing.joined(separator: ", "))]"
            : "none of the accepted scopes [\(requirement.scopes.joined(separator: ", "))] is granted"
        return LayabAuthError(.insufficientScope, "\(needs); \(has)", requiredScopes: requirement.scopes)
    }
}

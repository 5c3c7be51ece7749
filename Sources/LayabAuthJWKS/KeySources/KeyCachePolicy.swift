import LayabAuth

/// How long fetched keys are trusted, and how often a source may be asked again.
///
/// The server's `Cache-Control: max-age` (or `Expires`) sets the lifetime, clamped between
/// ``minimumLifetime`` and ``maximumLifetime``; `no-store` means "as short as allowed" and no
/// revalidation validators are kept.
public struct KeyCachePolicy: Sendable, Hashable {
    /// Lower bound of a key set's lifetime, whatever the server says (default 60 s): protects the
    /// identity provider from one fetch per request.
    public var minimumLifetime: Double
    /// Upper bound (default 24 h): rotated keys are picked up at least daily.
    public var maximumLifetime: Double
    /// Lifetime when the server sends no caching headers (default 10 min).
    public var defaultLifetime: Double
    /// Minimum time between two refreshes caused by unknown `kid`s, and how long an unknown `kid` stays
    /// in the negative cache (default 30 s).
    public var unknownKidCooldown: Double
    /// After a failed fetch, how long to wait before asking again (default 10 s); requests meanwhile are
    /// served from the last good key set. Without one, their `jwks_unavailable` error carries the time
    /// left until the next attempt (`LayabAuthError.retryAfter`), which servers send as `Retry-After`.
    public var retryAfterFailure: Double
    /// Unknown kids remembered at most (a flood of random kids cannot grow memory without bound).
    public var negativeCacheCapacity: Int
    /// How long past their lifetime the last good keys keep serving while refreshes fail (default 24 h).
    /// Beyond it the source answers `jwks_unavailable` instead: a key the issuer revoked does not stay valid
    /// for as long as its JWKS endpoint is blocked. `.infinity` serves the last good keys forever.
    public var maximumStaleness: Double

    public init(minimumLifetime: Double = 60, maximumLifetime: Double = 86_400, defaultLifetime: Double = 600,
                unknownKidCooldown: Double = 30, retryAfterFailure: Double = 10, negativeCacheCapacity: Int = 1024,
                maximumStaleness: Double = 86_400)
    {
        self.minimumLifetime = minimumLifetime
        self.maximumLifetime = maximumLifetime
        self.defaultLifetime = defaultLifetime
        self.unknownKidCooldown = unknownKidCooldown
        self.retryAfterFailure = retryAfterFailure
        self.negativeCacheCapacity = negativeCacheCapacity
        self.maximumStaleness = maximumStaleness
    }

    public static let `default` = KeyCachePolicy()

    /// Refuses a policy no cache can follow. Key sources call it when they are built.
    /// - Throws: `invalid_configuration` naming the setting: a duration that is NaN, infinite (only
    ///   ``maximumStaleness`` may be) or negative, a ``minimumLifetime`` above the ``maximumLifetime``, a
    ///   negative ``negativeCacheCapacity``.
    public func validate() throws(LayabAuthError) {
        let durations = [("minimumLifetime", minimumLifetime), ("maximumLifetime", maximumLifetime), ("defaultLifetime", defaultLifetime),
                         ("unknownKidCooldown", unknownKidCooldown), ("retryAfterFailure", retryAfterFailure)]
        for (name, value) in durations where !(value.isFinite && value >= 0) {
            throw .invalidConfiguration(name, value, "it must be a finite number of seconds, 0 or more")
        }
        guard maximumStaleness >= 0 else {
            throw .invalidConfiguration("maximumStaleness", maximumStaleness, "it must be a number of seconds, 0 or more (.infinity: no limit)")
        }
        guard minimumLifetime <= maximumLifetime else {
            throw LayabAuthError(.invalidConfiguration, "minimumLifetime (\(minimumLifetime) s) is above maximumLifetime (\(maximumLifetime) s)")
        }
        guard negativeCacheCapacity >= 0 else { throw .invalidConfiguration("negativeCacheCapacity", negativeCacheCapacity, "it must be 0 or more") }
    }

    /// What a response's caching headers say.
    struct Directives: Equatable {
        var maxAge: Double?
        var noStore = false
        var noCache = false
        var expires: Double?
        var date: Double?

        init(headers: [String: String]) {
            if let cacheControl = headers["cache-control"] {
                for directive in cacheControl.split(separator: ",") {
                    let parts = directive.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                    switch parts.first {
                    case "no-store": noStore = true
                    case "no-cache": noCache = true
                    case "max-age" where parts.count == 2:
                        if let seconds = Double(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))), seconds >= 0 { maxAge = seconds }
                    default: break
                    }
                }
            }
            expires = headers["expires"].flatMap(HTTPDate.parse)
            date = headers["date"].flatMap(HTTPDate.parse)
        }
    }

    /// The lifetime, in seconds from `now`, of a response with these headers.
    func lifetime(of headers: [String: String], now: Double) -> Double {
        let directives = Directives(headers: headers)
        let wanted: Double
        if directives.noStore || directives.noCache {
            wanted = 0
        } else if let maxAge = directives.maxAge {
            wanted = maxAge
        } else if let expires = directives.expires {
            // Relative to the server's own Date when given, so clock skew does not matter.
            wanted = expires - (directives.date ?? now)
        } else {
            wanted = defaultLifetime
        }
        return min(max(wanted, minimumLifetime), maximumLifetime)
    }
}

import Foundation

/// The metrics LayabAuth reports, in Prometheus naming; README "Observability" lists each with its labels.
///
/// Labels stay low-cardinality: outcome codes, verifier kinds, schemes and key source locations (URLs
/// without their query) are bounded sets; `sub` never is a label, and `kid` only when the application opts
/// in (``Observability/labelsKid``).
public enum MetricName {
    /// Counter. Verifications on a server's path, by `outcome` (`valid` or the error code, e.g. `expired`,
    /// `bad_signature`), `verifier` (`jwks`, `introspection`) and `scheme` (`bearer`, `dpop`).
    public static let verifications = "layabauth_verifications_total"
    /// Timer. Verification time, by `verifier` and `cache` (`hit`, `miss`, or `off` without a cache).
    public static let verificationDuration = "layabauth_verification_duration_seconds"
    /// Counter. Verified-token cache lookups, by `result` (`hit`, `miss`).
    public static let tokenCacheLookups = "layabauth_token_cache_lookups_total"
    /// Counter. Introspection answer cache lookups, by `result` (`hit`, `miss`).
    public static let introspectionCacheLookups = "layabauth_introspection_cache_lookups_total"
    /// Timer. Introspection round trips, by `result` (`active`, `inactive`, `failure`).
    public static let introspectionDuration = "layabauth_introspection_duration_seconds"
    /// Counter. Key set retrievals, by `source` and `result` (`200`, `304`, `file`, or a failure class:
    /// `network`, `http_error`, `invalid_key_set`, `no_usable_keys`, `file_error`).
    public static let keyRetrievals = "layabauth_key_retrievals_total"
    /// Timer. Key set retrieval time, by `source`.
    public static let keyRetrievalDuration = "layabauth_key_retrieval_duration_seconds"
    /// Gauge. Seconds since the key set in service was retrieved (or last revalidated), by `source`.
    public static let keySetAge = "layabauth_key_set_age_seconds"
    /// Gauge. Seconds until the key set in service must be refreshed (negative once stale), by `source`.
    public static let keySetRefreshIn = "layabauth_key_set_refresh_in_seconds"
    /// Gauge. Usable keys in the key set in service, by `source`.
    public static let keySetKeys = "layabauth_key_set_keys"
    /// Counter. Key source events (`KeySourceEvent.Kind`), by `source` and `event` (`retrieval_started`,
    /// `retrieval_finished`, `retrieval_failed`, `key_set_changed`, `unknown_kid`, `staleness_limit_reached`).
    public static let keySourceEvents = "layabauth_key_source_events_total"
    /// Counter. DPoP proofs refused as replays (their `jti` seen before).
    public static let dpopReplaysRefused = "layabauth_dpop_replays_refused_total"
}

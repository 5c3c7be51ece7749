import Foundation

/// The rule for an issuer whose keys are to be discovered, shared by the command line (`--issuer` without
/// `--jwks`) and the inspector's `d`: an http(s) URL with a host. The required issuer (`iss`) may be any string.
package enum DiscoverableIssuer {
    /// `issuer` when its keys can be discovered.
    /// - Throws: ``InputError`` saying why not (`idp.example.com` has no scheme).
    package static func validated(_ issuer: String) throws(InputError) -> String {
        guard let url = URLComponents(string: issuer), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              url.host?.isEmpty == false
        else {
            throw InputError("the issuer \"\(issuer)\" is not an http(s) URL, so its keys cannot be discovered")
        }
        return issuer
    }
}

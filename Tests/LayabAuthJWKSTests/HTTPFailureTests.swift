import CCurl
import LayabAuth
@testable import LayabAuthJWKS
import Testing

/// libcurl's failure codes in words, for the failures a loopback-only test cannot cause.
@Suite("Transfer failures in words")
struct HTTPFailureTests {
    @Test("a host name that does not resolve is reported as a DNS failure with the URI")
    func dnsFailure() {
        let error = HTTPClient.failure(CURLE_COULDNT_RESOLVE_HOST, url: "https://idp.invalid/jwks.json",
                                       detail: "Could not resolve host: idp.invalid", tooLarge: false, options: HTTPOptions())
        #expect(error.code == .jwksUnavailable)
        #expect(error.message == "cannot retrieve keys from https://idp.invalid/jwks.json: DNS failure: the host name could not be resolved (Could not resolve host: idp.invalid)")
    }

    @Test("without libcurl's detail, its own description of the code is used")
    func dnsFailureWithoutDetail() {
        let error = HTTPClient.failure(CURLE_COULDNT_RESOLVE_HOST, url: "https://idp.invalid/jwks.json", detail: "", tooLarge: false, options: HTTPOptions())
        #expect(error.message.hasPrefix("cannot retrieve keys from https://idp.invalid/jwks.json: DNS failure: the host name could not be resolved ("))
        #expect(error.message.contains(String(cString: curl_easy_strerror(CURLE_COULDNT_RESOLVE_HOST))))
    }
}

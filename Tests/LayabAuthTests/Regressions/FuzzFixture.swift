import LayabAuth

/// The key set, clock and configuration of the FuzzToken target (Tests/Fuzz), so that an input the fuzzer
/// found replays here byte for byte.
enum FuzzFixture {
    static let now = 1_800_000_000.0

    /// Tests/Fuzz/make_corpus.py's public keys: RSA 2048, P-256 (alg ES256), P-384, P-521 without a kid, Ed25519.
    static let publishedKeys = #"""
    {"keys":[{"kty":"RSA","kid":"rsa-1","n":"2fGhA2Cukht1FvbfDGa1gNiHmowYpwltd82ph5cOE674FGk3Tj2Ukg807rH119b8O7fRMYDWbDi81WTQcnBpnBj7xETNZYRJQAuOeyi5sBCxwy4GM-R4AINjEn2eG9FTlaLPg6uhMrwn4QBDpjRC579x6JOpXUPEY97xON5iWjX-Ega5GzYg8edOeD7vg4bFBSvunzhLpvH06bD9cpukX1LFIZGE_G2hsv-O33ZVX_DEP-WJjIAsgHWpqqfzuCN90vjLtli4co1zc-KCRqqUUpUSv7C3Ixo-ll8M4xXkG_ch8fhslAY6JxzqA29gfI2mwDDVWQKRMxFQCp04Ob00cQ","e":"AQAB"},{"kty":"EC","crv":"P-256","x":"bS2iGO_KDgLwYlO5xnXYewQzvfKuWyDd2CNhKgd-8fU","y":"z1swY-2sirGOrMpwKCN0rooQ62WRYQIEOF63lEO-Oyg","kid":"ec-256","alg":"ES256"},{"kty":"EC","crv":"P-384","x":"g6MKouyM2FA3EO83WjoC6RNwHSb3-HoizkB8K1GlM88tioQrnCUqs_dKLKIVtWFo","y":"sDqC3mSSZ0FWTnDR8t37v-5e6pIKdIP6FWNuCNbAe1VkHhDlTykCp6z4CSuaTSuZ","kid":"ec-384"},{"kty":"EC","crv":"P-521","x":"AayC4r2yQJw9MTUtWFesmHPY7zkTFzxp6IpgFcsfGjlZM0Lv1CED393NirXK4x1gpr4cdBBgL7JTDzYFgnZFijGp","y":"AaXIr6RtynZhhRDFkWQfYCxfEImyBfpl2BVKbGxy4zVynY4bwkity1gZqNYv2nOWA7ljWswH1Cj-U9TY4B4ZA1lk"},{"kty":"OKP","crv":"Ed25519","kid":"ed-1","x":"ebVWLo_mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ"}]}
    """#

    static func keys() throws -> KeySet {
        let published = try KeySet(jwksJSON: publishedKeys, origin: .remote)
        let secret = try VerificationKey(hmacSecret: Array(0x40..<0x60), kid: "hs-1", algorithm: .hs256)
        return published.merging(KeySet(keys: [secret]))
    }

    static func verifier() throws -> Verifier {
        try Verifier(keys: try keys(), configuration: VerifierConfiguration(
            algorithms: Set(Algorithm.allCases), issuers: ["https://issuer.example"], audiences: ["api"], clock: { now }))
    }
}

import Foundation
import LayabAuth
import TestSupport
import Testing

/// An OpenSSH public key file made by `ssh-keygen`, with a token its private key signed (no `kid`, `exp` in
/// 2100) and the key as `ssh-keygen -e -m PKCS8` converts it (for Ed25519, which it cannot convert, the
/// SubjectPublicKeyInfo built from the same 32 bytes). Made once, so that the tests need no `ssh-keygen`.
struct OpenSSHFixture: CustomTestStringConvertible, Sendable {
    let name: String
    let algorithm: Algorithm
    let madeBy: String
    let line: String
    let token: String
    let pem: String

    var testDescription: String { madeBy }

    static let all: [OpenSSHFixture] = [
        OpenSSHFixture(
            name: "rsa", algorithm: .rs256, madeBy: "ssh-keygen -t rsa -b 2048",
            line: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDYubLyOkVoLspSVb1HQUMSazgRlzx1syF+ONWcaSDpMEb2kEgyHu2srrSTSFeYFBVLpjmJEK+9auExD2oCIs1gCJDMEdgfXD7YZUZrAQ2qPMr7TmlYf/D9BDeByQDQKr2ivw3RH4kwI9CQ1DP6s8Nuoi4Lbtpjk1Me+c5yPrItjmWAvRi9oYgtgdAcyMVVF85mCYIKlGvDemyFLB6P7nwqwiItH59ZSzfrYw4ERS5zj/uhw4nzCcS5m2TikR7U7oa9oO8gJ6BewYWOp5/QSHYbuMhCNKUgUTOKLK4+NtjLp9UAYPhCSEyvswfuQEYJcDCHizNSAF609ZSIq2LIRW0J alice@laptop",
            token: "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NzaC5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJleHAiOjQxMDI0NDQ4MDB9.K6RWup5Gs78JZlb6ZdEEl5UqLUZT96KS9ldOpEQCl9iosWJQCssLOBUv9qXy6km6Q-tnc-O6eECwEoIyKSRo3cyxWouldXxc6V79pbKDzYTh_tAYZEOZSajromZC2DedvFalWz__MP1d6eulNbc5Om1H834YoNYi9_ePI_Rtc7XBosIs7Ze2qrYqeG8n2e326RzCj6Ue4TDS1DWQ8c_IFxLCbYRhJsp7QBmD4yfT1rq4iDQQOdc0pZqF-cDBhQHxiUpvSjKGNDfkoSAcQq0NswKfd2HO9cF-CGNKdClhumeoENnRTMCvuD0XJ4U26mOlmekXwpMZwcNzPzR_WMzQPA",
            pem: """
            -----BEGIN PUBLIC KEY-----
            MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2Lmy8jpFaC7KUlW9R0FD
            Ems4EZc8dbMhfjjVnGkg6TBG9pBIMh7trK60k0hXmBQVS6Y5iRCvvWrhMQ9qAiLN
            YAiQzBHYH1w+2GVGawENqjzK+05pWH/w/QQ3gckA0Cq9or8N0R+JMCPQkNQz+rPD
            bqIuC27aY5NTHvnOcj6yLY5lgL0YvaGILYHQHMjFVRfOZgmCCpRrw3pshSwej+58
            KsIiLR+fWUs362MOBEUuc4/7ocOJ8wnEuZtk4pEe1O6GvaDvICegXsGFjqef0Eh2
            G7jIQjSlIFEziiyuPjbYy6fVAGD4QkhMr7MH7kBGCXAwh4szUgBetPWUiKtiyEVt
            CQIDAQAB
            -----END PUBLIC KEY-----
            """),
        OpenSSHFixture(
            name: "p256", algorithm: .es256, madeBy: "ssh-keygen -t ecdsa -b 256",
            line: "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFrgmuvxUNakHwRNtNfzYwrNMV6rlN5A/xGYTHlSznLfZJZrujKO0ZkQ9m/UFNZz1LLCwtBv9tgMY8kCbwXBTRc= p256 key",
            token: "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NzaC5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJleHAiOjQxMDI0NDQ4MDB9.ZVPkMu6pL9tsspXd6Z-qzBhy4w9k_tnMlQDKCPqNq5AKAfEspq6Z1wczYtzjsgqLFR9_z6KPUEqypqPLJ4cECg",
            pem: """
            -----BEGIN PUBLIC KEY-----
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWuCa6/FQ1qQfBE201/NjCs0xXquU
            3kD/EZhMeVLOct9klmu6Mo7RmRD2b9QU1nPUssLC0G/22AxjyQJvBcFNFw==
            -----END PUBLIC KEY-----
            """),
        OpenSSHFixture(
            name: "p384", algorithm: .es384, madeBy: "ssh-keygen -t ecdsa -b 384 -C '' (no comment)",
            line: "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBJRrgFEQDVDKhBI3HZsW6+2qUY6kLxAXjMTSlCYr2QqTDEHHXnm10Bn1vHnfHH9/QHu8aFH2dJPBbp974s/Bfs4jbbqnq3Zqk/lAHTt6tNJLwnAacULY5rrJ7aFDVChPZQ== ",
            token: "eyJhbGciOiJFUzM4NCIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NzaC5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJleHAiOjQxMDI0NDQ4MDB9.UdGTF18ZDgn_I3ziDF_zGr-UCmgxfvGVnSLslpcSSGUbZS8KuQoDaZ-EHr7ns2oWiScvzuymBej05qdS8Gn4Babr5sIw0zLNZLN5AWoyQyyee0kc_4_sKiEWrUhT9Gmu",
            pem: """
            -----BEGIN PUBLIC KEY-----
            MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAElGuAURANUMqEEjcdmxbr7apRjqQvEBeM
            xNKUJivZCpMMQcdeebXQGfW8ed8cf39Ae7xoUfZ0k8Fun3viz8F+ziNtuqerdmqT
            +UAdO3q00kvCcBpxQtjmusntoUNUKE9l
            -----END PUBLIC KEY-----
            """),
        OpenSSHFixture(
            name: "p521", algorithm: .es512, madeBy: "ssh-keygen -t ecdsa -b 521",
            line: "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBABHi94wre3TxWRUUFy8YTrEM0WhAcIfKthkLNFBpdeefo79QOxUzvinKFvoGYFHU2Vl37cwy2+QWjvwKH/8eAfFFAGDGzOkU3pFV24hjuyd9AJ1x22AuPnyoOMrUyptjEBsqE5te6ru5rKoqb7ZApfDRjBK+GbA1rM4Kq34s5vrR4Go1A== bob@host",
            token: "eyJhbGciOiJFUzUxMiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NzaC5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJleHAiOjQxMDI0NDQ4MDB9.AUMhhHZkelGpchlpupI4VgzpWvbTS6CWXx3st0WwPaowKrG924HciI5P-SdY9jL9hR1UuBHWeLs1bSH0oLYbySNbAaNVvdrTDUFMkUvQDZQumat8eMMbkgTC4jMVQKxad_yUMEL4okBvzjrtQMD841MxmFdwAkuwjRFBa9SsvWDgpdyL",
            pem: """
            -----BEGIN PUBLIC KEY-----
            MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQAR4veMK3t08VkVFBcvGE6xDNFoQHC
            HyrYZCzRQaXXnn6O/UDsVM74pyhb6BmBR1NlZd+3MMtvkFo78Ch//HgHxRQBgxsz
            pFN6RVduIY7snfQCdcdtgLj58qDjK1MqbYxAbKhObXuq7uayqKm+2QKXw0YwSvhm
            wNazOCqt+LOb60eBqNQ=
            -----END PUBLIC KEY-----
            """),
        OpenSSHFixture(
            name: "ed", algorithm: .eddsa, madeBy: "ssh-keygen -t ed25519",
            line: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEuQKWwfzLL0WZF1BtwprchXWfnp1KV5as97hGjfxn48 carol@example",
            token: "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3NzaC5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJleHAiOjQxMDI0NDQ4MDB9.yqLCMkkvZ-Tyyj9mXtN6BkH7SVtmlO-ocn7AbhsbLAkSI4dQOKKuLqadZ-UKNXjDwn3sX3M1sVkYu1GVuAHiCg",
            pem: """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAS5ApbB/MsvRZkXUG3CmtyFdZ+enUpXlqz3uEaN/Gfjw=
            -----END PUBLIC KEY-----
            """)
    ]
}

/// `--key` reads OpenSSH public key files (issue 13: PyJWT does): RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4.
@Suite("OpenSSH public keys: ssh-keygen's files verify tokens; hostile blobs are refused with a clear reason", .fewAtATime)
struct OpenSSHKeyTests {
    // MARK: The library

    @Test("each ssh-keygen key imports as the key ssh-keygen converts it to, and verifies its token", arguments: OpenSSHFixture.all)
    func imports(_ fixture: OpenSSHFixture) throws {
        let key = try VerificationKey(openSSH: fixture.line + "\n")
        let converted = try VerificationKey(pem: fixture.pem)
        #expect(key.thumbprint == converted.thumbprint)
        #expect(key.publicJWK == converted.publicJWK)
        #expect(key.notes.isEmpty)
        let verified = try Verifier(keys: KeySet(keys: [key])).verify(fixture.token)
        #expect(verified.header?.algorithm == fixture.algorithm)
        #expect(verified.claims.subject == "alice")
    }

    @Test("kid and alg given on import are carried like a PEM key's")
    func kidAndAlgorithm() throws {
        let fixture = OpenSSHFixture.all[1]
        let key = try VerificationKey(openSSH: fixture.line, kid: "laptop", algorithm: .es256)
        #expect(key.kid == "laptop")
        #expect(key.algorithm == "ES256")
        #expect(Self.refusal { try VerificationKey(openSSH: fixture.line, algorithm: .rs256) }?.contains("RS256") == true)
    }

    /// A blob of length-prefixed strings, as RFC 4251 §5 encodes them.
    static func blob(_ strings: [[UInt8]]) -> [UInt8] {
        strings.flatMap { value in withUnsafeBytes(of: UInt32(value.count).bigEndian, Array.init) + value }
    }

    static func line(_ type: String, _ blob: [UInt8], comment: String = "test") -> String {
        "\(type) \(Data(blob).base64EncodedString()) \(comment)"
    }

    /// The fixture's blob, decoded.
    static func blob(of fixture: OpenSSHFixture) throws -> [UInt8] {
        let words = fixture.line.split(separator: " ")
        return Array(try #require(Data(base64Encoded: String(words[1]))))
    }

    struct Hostile: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let message: String
        var testDescription: String { name }
    }

    static func hostileInputs() throws -> [Hostile] {
        let ed = try blob(of: OpenSSHFixture.all[4]), p256 = try blob(of: OpenSSHFixture.all[1]), rsa = try blob(of: OpenSSHFixture.all[0])
        let edType = Array("ssh-ed25519".utf8), rsaType = Array("ssh-rsa".utf8), p256Type = Array("ecdsa-sha2-nistp256".utf8)
        var offCurve = p256
        offCurve[offCurve.count - 1] ^= 1
        var compressed = p256
        compressed[39] = 0x02
        let key = [UInt8](ed.suffix(32))
        return [
            Hostile(name: "a truncated blob", text: line("ssh-ed25519", Array(ed.dropLast(5))), message: "the Ed25519 key claims 32 bytes, only 27 are left in the blob"),
            Hostile(name: "a blob cut inside a length", text: line("ssh-ed25519", Array(ed.prefix(2))),
                    message: "the blob ends at byte 0 where the length of the key type should be (2 of 4 bytes left)"),
            Hostile(name: "a huge length", text: line("ssh-ed25519", [0xFF, 0xFF, 0xFF, 0xFF] + edType),
                    message: "the key type claims 4294967295 bytes, only 11 are left in the blob"),
            Hostile(name: "a huge length for the key", text: line("ssh-ed25519", blob([edType]) + [0x7F, 0xFF, 0xFF, 0xFF] + key),
                    message: "the Ed25519 key claims 2147483647 bytes, only 32 are left in the blob"),
            Hostile(name: "the line's type differs from the blob's", text: line("ssh-rsa", ed),
                    message: "the line says ssh-rsa, the key inside says \"ssh-ed25519\""),
            Hostile(name: "an ECDSA blob under another curve's name", text: line("ecdsa-sha2-nistp384", blob([Array("ecdsa-sha2-nistp384".utf8), Array("nistp256".utf8), [4]])),
                    message: "the key type is ecdsa-sha2-nistp384, the curve identifier inside is \"nistp256\""),
            Hostile(name: "trailing bytes after the key", text: line("ssh-ed25519", ed + [0, 0]), message: "2 bytes follow the key inside the blob"),
            Hostile(name: "one trailing byte after an RSA key", text: line("ssh-rsa", rsa + [0]), message: "1 byte follows the key inside the blob"),
            Hostile(name: "an Ed25519 key of 31 bytes", text: line("ssh-ed25519", blob([edType, Array(key.dropFirst())])),
                    message: "an Ed25519 public key has 32 bytes, found 31 (RFC 8709 §4)"),
            Hostile(name: "a compressed ECDSA point", text: line("ecdsa-sha2-nistp256", compressed), message: "is not in uncompressed form (first byte 0x02, expected 0x04"),
            Hostile(name: "an ECDSA point of the wrong size", text: line("ecdsa-sha2-nistp256", blob([p256Type, Array("nistp256".utf8), [4] + [UInt8](repeating: 1, count: 63)])),
                    message: "the point Q of ecdsa-sha2-nistp256 has 64 bytes, expected 65"),
            Hostile(name: "an ECDSA point off the curve", text: line("ecdsa-sha2-nistp256", offCurve), message: "the point is not on P-256"),
            Hostile(name: "a negative RSA exponent", text: line("ssh-rsa", blob([rsaType, [0x81], [0x00, 0xC0, 1]])), message: "the RSA e is negative"),
            Hostile(name: "an RSA modulus with a needless zero byte", text: line("ssh-rsa", blob([rsaType, [1, 0, 1], [0x00, 0x40, 1]])),
                    message: "the RSA n has an unnecessary leading zero byte"),
            Hostile(name: "an RSA exponent of zero", text: line("ssh-rsa", blob([rsaType, [], [0x40]])), message: "the RSA e is zero"),
            Hostile(name: "a 1024-bit RSA key", text: try weakRSALine(), message: "the RSA key has 1024 bits, at least 2048 are required"),
            Hostile(name: "base64 that is not base64", text: "ssh-ed25519 AAAA*AAA comment", message: "the key after ssh-ed25519 is not standard base64"),
            Hostile(name: "no base64 at all", text: "ssh-ed25519", message: "ssh-ed25519 is followed by no base64 key"),
            Hostile(name: "two lines", text: OpenSSHFixture.all[4].line + "\n" + OpenSSHFixture.all[1].line + "\n",
                    message: "found 2 lines; a public key file holds one line"),
            Hostile(name: "a DSA key", text: line("ssh-dss", blob([Array("ssh-dss".utf8)])), message: "\"ssh-dss\" is not supported: DSA keys have no JWS algorithm"),
            Hostile(name: "a FIDO security key", text: line("sk-ssh-ed25519@openssh.com", ed), message: "security-key (FIDO) keys"),
            Hostile(name: "an unknown ssh- type", text: line("ssh-foo", ed), message: "unsupported key type \"ssh-foo\" (expected ssh-rsa, ecdsa-sha2-nistp256"),
            Hostile(name: "a certificate", text: line("ssh-ed25519-cert-v01@openssh.com", ed), message: "unsupported key type \"ssh-ed25519-cert-v01@openssh.com\""),
        ]
    }

    /// An OpenSSH line of a freshly generated 1024-bit RSA key.
    static func weakRSALine() throws -> String {
        let key = try SigningKey.generate(.rs256, rsaBits: 1024).verificationKey.publicJWK
        func mpint(_ member: String) throws -> [UInt8] {
            let bytes = try Base64URL.decode(try #require(key[member]?.stringValue))
            return (bytes.first ?? 0) & 0x80 != 0 ? [0] + bytes : bytes
        }
        return line("ssh-rsa", blob([Array("ssh-rsa".utf8), try mpint("e"), try mpint("n")]))
    }

    @Test("hostile and unsupported lines are refused with invalid_key, saying what is wrong")
    func hostile() throws {
        for input in try Self.hostileInputs() {
            let message = Self.refusal { try VerificationKey(openSSH: input.text) }
            #expect(message?.contains(input.message) == true, "\(input.name): \(message ?? "accepted")")
            // Blob problems are the reader's; the numbers inside are judged as a JWK's are.
            let judgedAsJWK = input.message.contains("RSA key has") || input.message.contains("not on P-256")
            #expect(message?.hasPrefix("OpenSSH public key: ") == !judgedAsJWK, "\(input.name): \(message ?? "accepted")")
        }
    }

    /// The message of the `invalid_key` error `body` throws, or nil when it succeeds or fails otherwise.
    static func refusal(_ body: () throws -> VerificationKey) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as LayabAuthError {
            return error.code == .invalidKey ? error.message : "\(error.code.rawValue): \(error.message)"
        } catch {
            return "\(error)"
        }
    }

    @Test("a line is recognised by its first word, nothing else")
    func recognition() {
        #expect(VerificationKey.looksLikeOpenSSH(OpenSSHFixture.all[0].line))
        #expect(VerificationKey.looksLikeOpenSSH("  ssh-ed25519 AAAA"))
        #expect(VerificationKey.looksLikeOpenSSH("sk-ssh-ed25519@openssh.com AAAA"))
        #expect(!VerificationKey.looksLikeOpenSSH(#"{"kty":"OKP"}"#))
        #expect(!VerificationKey.looksLikeOpenSSH("-----BEGIN PUBLIC KEY-----"))
        #expect(!VerificationKey.looksLikeOpenSSH(""))
    }

    // MARK: The binary

    @Test("verify --key with an ssh-keygen .pub file: its token is valid, another key's is rejected", arguments: OpenSSHFixture.all)
    func verifyWithKeyFile(_ fixture: OpenSSHFixture) async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("id_\(fixture.name).pub", fixture.line + "\n")
        let valid = try await layabauth(["verify", fixture.token, "--key", path])
        #expect(valid.status == 0, "\(valid)")
        #expect(valid.output.contains("VALID"), "\(valid)")
        // The same token with its signature's first character changed: the key is used and the signature fails.
        let signatureStart = try #require(fixture.token.lastIndex(of: ".")).utf16Offset(in: fixture.token) + 1
        var characters = Array(fixture.token)
        characters[signatureStart] = characters[signatureStart] == "A" ? "B" : "A"
        let tampered = try await layabauth(["verify", String(characters), "--key", path])
        #expect(tampered.status == 1, "\(tampered)")
        #expect(tampered.output.contains("bad_signature"), "\(tampered)")
    }

    @Test("verify --key with a hostile .pub file is a configuration error that names the problem")
    func verifyWithHostileKeyFile() async throws {
        let directory = try TemporaryDirectory()
        let fixture = OpenSSHFixture.all[4]
        let ed = try Self.blob(of: fixture)
        for (name, text, message) in [
            ("truncated", Self.line("ssh-ed25519", Array(ed.dropLast(1))), "claims 32 bytes, only 31 are left"),
            ("mismatched", Self.line("ssh-rsa", ed), "the line says ssh-rsa, the key inside says \"ssh-ed25519\""),
        ] {
            let path = try directory.write("\(name).pub", text + "\n")
            let result = try await layabauth(["verify", fixture.token, "--key", path])
            #expect(result.status == 2, "\(name): \(result)")
            #expect(result.output.isEmpty, "\(name): \(result)")
            #expect(result.errorOutput.contains("key file \(path): OpenSSH public key: ") && result.errorOutput.contains(message), "\(name): \(result)")
        }
    }
}

/// A self-signed RSA 2048 test certificate and its private key, made once with
/// `openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=layabauth-policy-test/O=LayabAuth Tests" -days 36500`.
/// Only for tests: the key signs tokens that the certificate's public key must verify.
enum TestCertificate {
    static let subjectCommonName = "layabauth-policy-test"

    static let certificatePEM = """
        -----BEGIN CERTIFICATE-----
        MIIDVzCCAj+gAwIBAgIUHPAGmSOGUpSfEF/TLKtdjafs3towDQYJKoZIhvcNAQEL
        BQAwOjEeMBwGA1UEAwwVbGF5YWJhdXRoLXBvbGljeS10ZXN0MRgwFgYDVQQKDA9M
        YXlhYkF1dGggVGVzdHMwIBcNMjYxMTI5MjMwMTM5WhgPMjEyNjExMDUyMzAxMzla
        MDoxHjAcBgNVBAMMFWxheWFiYXV0aC1wb2xpY3ktdGVzdDEYMBYGA1UECgwPTGF5
        YWJBdXRoIFRlc3RzMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlouN
        +Qsxq5VqiqzF7oq3ZjCYMPgfF/H91OHIDG6lcN6Cbo1OflERJf1vaSvDYl5cdXjO
        H+eVmhQsYaKqwwDzIsKcpeIGC+GNMnquPiw5WHTI5/rNSYXJg50YhfoSslqn+y8y
        EMxif8a9uwFdI6FPk7po2X1RVCGAvlMsUvmmqJi/xfUK6q6ZYI2K0VQGQpt0sfAT
        i+qY5Q/Vkmw6uqi5hcyV3TF7Zu8wrpDiPWc2YQwRflLUTMGuRFxmpozfGA/+FJef
        eglVB8TQsIdhw87RD5cFAzZCFm5AxM434jUReLiwWjAbqcci9sTx9vmZe/i0ulve
        7dcF0PrafJKfAzLEyQIDAQABo1MwUTAdBgNVHQ4EFgQUZiYda6pxa6Ay6WqmWJsy
        4h0RyIUwHwYDVR0jBBgwFoAUZiYda6pxa6Ay6WqmWJsy4h0RyIUwDwYDVR0TAQH/
        BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAdfKGBHY5HqDqsc+ERKprAkrcF+wC
        +sKj29rK/obhJhnLpP7iEdDMzBleKrSVdLKCFs+eAUVpdr9Hjr+Rx5s1U2iDhz/L
        836144tpigtA35oBNafRnBpzXiTzxBbHg4fLRBxMPuhzh6a++zOwSgTYj3z6qPEg
        CLBO3yf0O3xu3EsNj+h6KA/RgfF0GtiPPaivckD0orOacgBhujtOhQm7mmVuouyO
        zx6ZYv56jMt4cmanSnAQPq6H0Rd50oVJwKOtoB0iJAAnCqb1ymZ3d2TjcBamZtPO
        93E/L0jXKi3aweiuDuwRZQgEnZ+bfQeFZuCQpXa4IPW1QcHcfVtyKdl6zA==
        -----END CERTIFICATE-----

        """

    static let privateKeyPEM = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCWi435CzGrlWqK
        rMXuirdmMJgw+B8X8f3U4cgMbqVw3oJujU5+UREl/W9pK8NiXlx1eM4f55WaFCxh
        oqrDAPMiwpyl4gYL4Y0yeq4+LDlYdMjn+s1JhcmDnRiF+hKyWqf7LzIQzGJ/xr27
        AV0joU+TumjZfVFUIYC+UyxS+aaomL/F9QrqrplgjYrRVAZCm3Sx8BOL6pjlD9WS
        bDq6qLmFzJXdMXtm7zCukOI9ZzZhDBF+UtRMwa5EXGamjN8YD/4Ul596CVUHxNCw
        h2HDztEPlwUDNkIWbkDEzjfiNRF4uLBaMBupxyL2xPH2+Zl7+LS6W97t1wXQ+tp8
        kp8DMsTJAgMBAAECggEAEVZw4zTFc4b1klM3x+NAoCOaUXBv50pyst7OUtU21zb/
        A0OhnbVRIeSMPUrhmX13zT0ckwrRHUGzw0pQO31LYw5R615KlzlykRTVJpqh/5SS
        kznchNpENRTFb1+XoeQEKs7ah5n8QY42SVhMvVbdcuxh2SNgN43UtYafaQ5wocOp
        flSLg/wy8y2RPbS7Nf+rDUpvAAqkip6+dyBygdCZUiOYsE4tmQL1at8AxT9p/HiH
        y34gO5cbo41J+1Q2T+vdNLryHlSZ4l0d/wSwcDNxlVbkgYhmO4J9bqLc1I1BcEhb
        Zz6n0JzU4R8vUlBNf/9VSUkMu9pXYrtf71UO4G/K8QKBgQDI9rKTzdfgBMGxR9uo
        ZPdp/QiiuLFEXFebd4yFKZrarwf6k1/cth+3bXdHMt9PyJWFFKcJaBYy2NWUpH7d
        idAJaLHXHOtjqYlEMBWouvOjEd1aUxnDiVRsfCZiBKMPkyreC9LZyyTGAIC43IXC
        UWJtznQHkAy1C0NCKD1slNV0+QKBgQC/xhRLoyWGsY2SFokwRJx/YsSbCFfVFSoJ
        KEL+ynPWAPO3S5HzYJr0QDVIONGA1k2tRAmcRi9k2/InDrqtdtt/yXkfhxqrw/Gr
        +0JUAmuFRPVAzHHJ+8nxE2yRtL9Ghi3sxo8dWzsp7gScorfI02pBL3NIFVFbItJU
        Vo3+dvlSUQKBgEKe9ehlzvDm4sdAiSM0BYlPZvN6wtlku25AnYbvmfRxHfYFsTvb
        7HvEgExMIxex6U9q300RAnrswzE5rw0GSL81w+8KGUa6x1ShlCyRfX9LxtPQxLO7
        7Q7hwV+xJdVd9lISHV4yKAiz1fhysq0OidDZJkHzkSLbjvp5mJNMa88RAoGAAVHY
        o+icgn/ITKARE571QL8qQTLef93kaym2xFAaWfeptbI0b+tTRakHdNbHQk63PCEC
        u+uTuer1kKU+TaFKw2dciQYB/fqcOCXDgBaALOubkHWXtt8ftaP/lEUdJ9wWhtGa
        /IW7M3+q0nUgNKaXzZkI/w7+f1UPA3uRAJZLAvECgYBA+61riKjC1Lg86OGTVijJ
        IFILMz2RyP8lhFfVFhp8jGz7PBnYAe2HB4C6/q0DlEKfeG4k2Wy94gtl///hxvg/
        FNk8vU7SK2XfhY5Mr8SYPrhl6SFWB73VGZBvaxNz3RGKXNL6g5NRklcsvAxM9flv
        2WW+iEajfuux34ZcbbxP1Q==
        -----END PRIVATE KEY-----

        """

    /// The certificate's DER in standard base64, as a JWK's `x5c` carries it (RFC 7517 §4.7).
    static var x5cValue: String {
        certificatePEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
    }
}

/// Checks on an RSA public key's numbers that OpenSSL does not make when it imports a key.
enum RSAPublicKeyRules {
    /// Why the public exponent is unacceptable, or nil.
    ///
    /// FIPS 186-5 (Appendix A.1.1) and NIST SP 800-56B Rev. 2 require an odd e with 2^16 < e < 2^256. Small exponents
    /// (3 is the classic) turn padding-check flaws into forgeries (Bleichenbacher 2006, CVE-2006-4339); e = 1
    /// makes the "signature" equal to the padded hash.
    static func exponentProblem(_ exponent: [UInt8]) -> String? {
        let significant = Array(exponent.drop { $0 == 0 })
        let isOdd = (significant.last ?? 0) & 1 == 1
        let atLeast65537 = significant.count > 3
            || (significant.count == 3 && (significant[0], significant[1], significant[2]) >= (1, 0, 1))
        if isOdd && atLeast65537 && significant.count <= 32 { return nil }
        let shown = significant.count <= 8 ? "\(significant.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })" : "a \(significant.count)-byte number"
        return "the RSA public exponent is \(shown); it must be odd, at least 65537 and below 2^256 (FIPS 186-5)"
    }

    /// Whether `modulus` has the structure of keys from Infineon's RSALib (ROCA, CVE-2017-15361), whose
    /// 2048-bit keys can be factored in days of CPU time.
    ///
    /// Those primes are k·M + (65537^a mod M) for a primorial-like M, so n ≡ 65537^c (mod p) for one c and
    /// every small prime p dividing M. The check takes the discrete logarithm c_p of n modulo each prime of
    /// the published detector (Nemec et al., CCS 2017) and requires the c_p to agree modulo the common
    /// factors of the group orders, i.e. one c explains them all. A random modulus passes with probability
    /// about 2^-155 (per-prime subgroup membership alone would be 2^-28).
    static func hasROCAFingerprint(_ modulus: [UInt8]) -> Bool {
        var logarithms: [(value: Int, order: Int)] = []
        logarithms.reserveCapacity(rocaPrimes.count)
        for (prime, powers) in rocaPrimes {
            var remainder = 0
            for byte in modulus { remainder = (remainder << 8 | Int(byte)) % prime }
            guard let logarithm = powers.firstIndex(of: remainder) else { return false }
            logarithms.append((logarithm, powers.count))
        }
        // A system c ≡ c_i (mod m_i) has a solution exactly when every pair agrees modulo gcd(m_i, m_j).
        for i in logarithms.indices {
            for j in logarithms.indices where j < i {
                let common = gcd(logarithms[i].order, logarithms[j].order)
                if (logarithms[i].value - logarithms[j].value) % common != 0 { return false }
            }
        }
        return true
    }

    /// The detector's primes, each with the powers 65537^0, 65537^1, … modulo it until they repeat.
    private static let rocaPrimes: [(prime: Int, powers: [Int])] = {
        let primes = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
                      101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167]
        return primes.map { prime in
            var powers = [1]
            var element = 65537 % prime
            while element != 1 {
                powers.append(element)
                element = element * 65537 % prime
            }
            return (prime, powers)
        }
    }()

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}

import FuzzChecks
import LayabAuth

// Top-level code never runs here: libFuzzer owns main, so what is shared lives in FuzzChecks' lazy statics.

/// The token parser and the verifier, on the input as a compact token (TokenChecks.swift says what is asserted).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToken(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkToken(string(fromFuzzInput: start, count))
    return 0
}

internal import CCurl
import LayabAuth
import Synchronization

/// The single Swift owner of a libcurl easy handle, used by one transfer on one thread.
final class CurlHandle {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl keeps pointers to the strings we set; they must outlive the transfer.
    private var retainedStrings: [UnsafeMutablePointer<CChar>] = []
    /// CURLOPT_ERRORBUFFER: libcurl writes its detailed reason here.
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// `curl_global_init` must run once before any handle exists; Swift runs this initialiser once.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init() throws(LayabAuthError) {
        guard Self.globalInit == CURLE_OK else {
            throw LayabAuthError(.jwksUnavailable, "libcurl failed to initialise: \(String(cString: curl_easy_strerror(Self.globalInit)))")
        }
        guard let handle = curl_easy_init() else { throw LayabAuthError(.jwksUnavailable, "libcurl could not create a transfer handle") }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(handle)
        if let headerList { curl_slist_free_all(headerList) }
        retainedStrings.forEach { free($0) }
        errorBuffer.deallocate()
    }

    /// Every setter checks its `CURLcode`: an option libcurl refuses is a configuration error.
    func set(_ option: CURLoption, _ value: Int) throws(LayabAuthError) {
        try check(layab_curl_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(LayabAuthError) {
        guard let copy = strdup(value) else { throw LayabAuthError(.jwksUnavailable, "out of memory") }
        retainedStrings.append(copy)
        try check(layab_curl_setopt_string(handle, option, copy), option)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(LayabAuthError) {
        try check(layab_curl_setopt_pointer(handle, option, pointer), option)
    }

    func set(_ option: CURLoption, callback: layab_curl_data_callback) throws(LayabAuthError) {
        try check(layab_curl_setopt_data_callback(handle, option, callback), option)
    }

    func setProgress(_ callback: layab_curl_progress_callback) throws(LayabAuthError) {
        try check(layab_curl_setopt_progress_callback(handle, callback), CURLOPT_XFERINFOFUNCTION)
    }

    func setHeaders(_ headers: [String]) throws(LayabAuthError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers {
            guard let appended = curl_slist_append(list, header) else {
                if let list { curl_slist_free_all(list) }
                throw LayabAuthError(.jwksUnavailable, "out of memory building request headers")
            }
            list = appended
        }
        headerList = list
        try check(layab_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
    }

    func perform() -> CURLcode { curl_easy_perform(handle) }

    /// - Throws: when libcurl cannot answer: a made-up 0 would pass for a status.
    func info(_ info: CURLINFO) throws(LayabAuthError) -> Int {
        var value = 0
        try check(layab_curl_getinfo_long(handle, info, &value), info)
        return value
    }

    /// - Returns: nil when libcurl has no value (e.g. no redirect URL).
    /// - Throws: when libcurl cannot answer.
    func stringInfo(_ info: CURLINFO) throws(LayabAuthError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        try check(layab_curl_getinfo_string(handle, info, &value), info)
        return value.map { String(cString: $0) }
    }

    var errorDetail: String { String(cString: errorBuffer) }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(LayabAuthError) {
        guard code == CURLE_OK else {
            throw LayabAuthError(.jwksUnavailable, "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private func check(_ code: CURLcode, _ info: CURLINFO) throws(LayabAuthError) {
        guard code == CURLE_OK else {
            throw LayabAuthError(.jwksUnavailable, "libcurl could not report transfer information \(info.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

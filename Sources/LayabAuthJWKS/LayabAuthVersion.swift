/// The project version: sent in the User-Agent and shown by `layabauth --version`.
public enum LayabAuthVersion {
    public static let current = "0.1.0"
}

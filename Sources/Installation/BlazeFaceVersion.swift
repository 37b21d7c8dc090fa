/// The version of the blazeface package, for `blazeface --version` and for code that depends
/// on the library. Kept equal to the newest release heading in `CHANGELOG.md` (a test checks).
public enum BlazeFaceVersion {
    /// The semantic version, e.g. `"0.1.0"`.
    public static let string = "0.1.0"
}

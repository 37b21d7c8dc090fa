/// Resource limits applied while reading a MAT-file, so that corrupt or hostile input fails with an
/// error instead of exhausting memory or the stack.
public struct MATReadLimits: Sendable, Equatable {
    /// The largest number of bytes one miCOMPRESSED element may inflate to.
    public var maxInflatedBytesPerElement: Int
    /// The largest number of bytes all miCOMPRESSED elements of a file may inflate to together.
    public var maxInflatedBytesTotal: Int
    /// The deepest nesting of arrays inside cells and structs.
    public var maxNestingDepth: Int

    /// Creates limits: caps on one compressed element's inflated size, on the inflated size of all
    /// compressed elements of a file, and on cell/struct nesting.
    public init(maxInflatedBytesPerElement: Int, maxInflatedBytesTotal: Int, maxNestingDepth: Int) {
        (self.maxInflatedBytesPerElement, self.maxInflatedBytesTotal) = (maxInflatedBytesPerElement, maxInflatedBytesTotal)
        self.maxNestingDepth = maxNestingDepth
    }

    /// 256 MiB per compressed element, 1 GiB per file, nesting depth 64.
    ///
    /// The WIDER FACE evaluation files inflate to a few MiB each.
    public static let `default` = MATReadLimits(
        maxInflatedBytesPerElement: 256 << 20,
        maxInflatedBytesTotal: 1 << 30,
        maxNestingDepth: 64
    )
}

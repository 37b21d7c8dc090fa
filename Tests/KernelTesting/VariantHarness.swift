import Testing
import TestSupport
@testable import Engine

/// The kernel families under test, one per op and datatype. Their variants come from the
/// registry (`Ops/<Op>.swift`), so a variant added there is tested with no new test code.
public enum KernelOp: String, CaseIterable, Sendable {
    case conv2dQS8, conv2dF32, depthwiseConv2dQS8, depthwiseConv2dF32
    case addQS8, addF32, mulQS8, mulF32, reluF32
    case maxPool2dQS8, maxPool2dF32, padQS8, padF32, quantizeQS8, dequantizeQS8, resizeBilinearQS8

    /// The family's variants by ISA, the reference excluded (it is the oracle).
    var isas: [KernelISA] {
        switch self {
        case .conv2dQS8: return Conv2D.qs8.variants.map(\.isa)
        case .conv2dF32: return Conv2D.f32.variants.map(\.isa)
        case .depthwiseConv2dQS8: return DepthwiseConv2D.qs8.variants.map(\.isa)
        case .depthwiseConv2dF32: return DepthwiseConv2D.f32.variants.map(\.isa)
        case .addQS8: return Add.qs8.variants.map(\.isa)
        case .addF32: return Add.f32.variants.map(\.isa)
        case .mulQS8: return Mul.qs8.variants.map(\.isa)
        case .mulF32: return Mul.f32.variants.map(\.isa)
        case .reluF32: return Relu.f32.variants.map(\.isa)
        case .maxPool2dQS8: return MaxPool2D.qs8.variants.map(\.isa)
        case .maxPool2dF32: return MaxPool2D.f32.variants.map(\.isa)
        case .padQS8: return Pad.qs8.variants.map(\.isa)
        case .padF32: return Pad.f32.variants.map(\.isa)
        case .quantizeQS8: return Quantize.qs8.variants.map(\.isa)
        case .dequantizeQS8: return Dequantize.qs8.variants.map(\.isa)
        case .resizeBilinearQS8: return ResizeBilinear.qs8.variants.map(\.isa)
        }
    }
}

/// One registered kernel variant, the argument of a parameterized kernel test.
public struct KernelVariantID: Sendable, CustomTestStringConvertible {
    public let op: KernelOp
    let isa: KernelISA

    public var testDescription: String { "\(op.rawValue).\(isa.rawValue)" }

    /// Every registered variant of `op` (the reference excluded).
    public static func all(_ op: KernelOp) -> [KernelVariantID] { op.isas.map { KernelVariantID(op: op, isa: $0) } }

    /// The one skip policy: a variant whose ISA this CPU lacks is skipped, and says so and why.
    func requireRunnable() throws {
        let missing = isa.requiredFeatures.subtracting(CPUFeatures.detected)
        if !missing.isEmpty {
            try Test.cancel("skipped \(testDescription): this CPU lacks \(isa.rawValue) (features \(isa.requiredFeatures.rawValue), detected \(CPUFeatures.detected.rawValue))")
        }
    }

    /// The variant's maker in `family`.
    func maker<S, M>(_ family: KernelFamily<S, M>) throws -> @Sendable (S, KernelOperands) -> M? {
        try requireRunnable()
        return try #require(family.variants.first { $0.isa == isa }, "\(testDescription) is not registered").make
    }
}

/// A seeded random source for the sweeps.
public struct Rng {
    var g: SplitMix64
    public init(_ seed: UInt64) { g = SplitMix64(seed: seed) }
    public mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(g.next() % UInt64(r.count)) }
    public mutating func int8() -> Int8 { Int8(truncatingIfNeeded: g.next()) }
    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: g.next()) }
    public mutating func float(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(g.next() >> 40) / Float(1 << 24) }
}

/// Runs two kernels on the same arena and returns both outputs. The arena is filled with 0x5A,
/// then `fill` writes the inputs; between the runs the output is overwritten with 0xA5, so a
/// kernel that leaves an output byte unwritten shows.
func runBoth(_ a: any Kernel, _ b: any Kernel, arenaSize: Int, fill: (UnsafeMutableRawPointer) -> Void,
             output: Int, outBytes: Int) -> ([UInt8], [UInt8]) {
    let arena = UnsafeMutableRawPointer.allocate(byteCount: max(arenaSize, 1), alignment: 64)
    defer { arena.deallocate() }
    arena.initializeMemory(as: UInt8.self, repeating: 0x5A, count: max(arenaSize, 1))
    fill(arena)
    a.eval(arena: arena)
    let ra = Array(UnsafeRawBufferPointer(start: arena + output, count: outBytes))
    (arena + output).initializeMemory(as: UInt8.self, repeating: 0xA5, count: outBytes)
    b.eval(arena: arena)
    let rb = Array(UnsafeRawBufferPointer(start: arena + output, count: outBytes))
    return (ra, rb)
}

/// The first 64-byte boundary at or after `n`.
func align64(_ n: Int) -> Int { (n + 63) / 64 * 64 }

func floats(_ b: [UInt8]) -> [Float] { b.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }

/// What a tester saw: cases where the variant and the reference agreed, where they differed, and
/// where the variant declined the shape (its maker returned nil, so the engine uses the next one).
public struct TesterOutcome: Sendable {
    public var matched = 0
    public var failures: [String] = []
    public var declined: [String] = []

    public init() {}

    public mutating func add(_ o: TesterOutcome) {
        matched += o.matched
        failures += o.failures
        declined += o.declined
    }

    static func result(_ same: Bool, _ label: @autoclosure () -> String) -> TesterOutcome {
        var o = TesterOutcome()
        if same { o.matched = 1 } else { o.failures = [label()] }
        return o
    }

    static func declined(_ label: String) -> TesterOutcome {
        var o = TesterOutcome()
        o.declined = [label]
        return o
    }
}

import Foundation
import CKernels

/// How a ``CompiledModel`` picks its kernels.
public struct EngineOptions: Sendable, Hashable {
    /// Kernel families.
    public enum Kernels: String, Sendable, Hashable, CaseIterable {
        /// The C microkernels where the CPU has their ISA and the op's shape fits them (int8 results
        /// stay bit-exact with the reference), else the ``portable`` kernels where they apply, the
        /// reference kernels elsewhere.
        case fast
        /// Portable Swift kernels (no CPU-specific code): int8 CONV_2D, DEPTHWISE_CONV_2D, ADD and
        /// MAX_POOL_2D, bit-exact with the reference; float CONV_2D, DEPTHWISE_CONV_2D and
        /// MAX_POOL_2D, within float32 rounding of it; the reference kernels for other ops and
        /// shapes. ``fast`` uses them where its C kernels are unavailable.
        case portable
        /// The reference kernels only: the exact oracle.
        case reference
        /// The Embedded Swift kernels the Cortex-M firmware runs (`Sources/MicroKernels`, the same
        /// source): int8 CONV_2D, DEPTHWISE_CONV_2D, ADD, channel PAD, MAX_POOL_2D and DEQUANTIZE,
        /// bit-exact with the reference; the reference kernels elsewhere. `blazeface export`
        /// prepares models with these, so the host runs exactly what the firmware will.
        case micro
    }

    /// How activations are laid out in the arena.
    public enum Memory: String, Sendable, Hashable, CaseIterable {
        /// Every tensor of the graph gets its own place (tensor-level plan): every op's output,
        /// the float graph input included, can be observed with ``Interpreter/invoke(observer:)``.
        case allTensors
        /// The low-memory plan (see ``CompiledModel/compactPlan`` and ``CompiledModel/unmaterialized``):
        /// - a float graph input that only feeds a QUANTIZE is quantized while it is copied in
        ///   (``Interpreter/setInput(_:floats:)``, ``Interpreter/setInput(_:pixels:)``), so the
        ///   float buffer does not exist;
        /// - each ADD whose one operand is a pointwise (1x1, stride 1, unpadded) CONV_2D, and whose
        ///   other operand is a tensor or a channel-only PAD of one, runs as one fused kernel over
        ///   bands of pixels: the conv and PAD outputs only exist band by band in small scratch
        ///   buffers, and the ADD writes over its skip operand when that operand dies there.
        /// Every tensor that remains is byte-identical with the ``allTensors`` plan.
        case compact
    }

    /// The kernel family to use.
    public var kernels: Kernels
    /// The memory plan; ``Memory/allTensors`` by default.
    public var memory: Memory
    /// Test hook (internal): choose the kernels as if the CPU had only these features (e.g.
    /// `[.avx2]` for the AVX2 kernels on an AVX-512 machine); nil: ``CPUFeatures/current``.
    var cpuOverride: CPUFeatures? = nil

    /// - Parameters:
    ///   - kernels: defaults to ``defaultKernels``.
    ///   - memory: defaults to ``Memory/allTensors``.
    public init(kernels: Kernels = EngineOptions.defaultKernels, memory: Memory = .allTensors) {
        self.kernels = kernels
        self.memory = memory
    }

    /// The family the environment names with `BLAZEFACE_KERNELS=fast|portable|reference|micro`, else `.fast`.
    public static var defaultKernels: Kernels {
        guard let v = getenv("BLAZEFACE_KERNELS") else { return .fast }
        return Kernels(rawValue: String(cString: v)) ?? .fast
    }
}

/// The ISA extensions the fast kernels can use on this machine.
public struct CPUFeatures: OptionSet, Sendable, Hashable {
    /// The feature bits (`BF_CPU_*` of the C kernels).
    public let rawValue: Int32
    /// Features from their bits.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// AVX2 with FMA (the AVX2 kernels).
    public static let avx2 = CPUFeatures(rawValue: Int32(BF_CPU_AVX2))
    /// AVX-512 F, BW, VL and DQ with the OS saving the zmm state.
    public static let avx512 = CPUFeatures(rawValue: Int32(BF_CPU_AVX512))
    /// AVX512-VNNI (the int8 convolutions).
    public static let avx512vnni = CPUFeatures(rawValue: Int32(BF_CPU_AVX512VNNI))
    /// AVX512-VBMI (the table-driven int8 ADD).
    public static let avx512vbmi = CPUFeatures(rawValue: Int32(BF_CPU_AVX512VBMI))

    /// What this CPU has: detected once with cpuid and xgetbv (the OS must save the vector state).
    public static let detected = CPUFeatures(rawValue: bf_cpu_features())

    /// The features the engine uses: ``detected``, unless the environment variable `BLAZEFACE_CPU`
    /// (read once) hides some: `BLAZEFACE_CPU=avx2` reports only ``avx2`` (if detected), so the
    /// AVX2 kernels run instead of the AVX-512 ones, as on an AVX2-only CPU; `BLAZEFACE_CPU=none`
    /// reports nothing (the portable and reference kernels). Any other value is ignored.
    public static let current: CPUFeatures = {
        guard let v = getenv("BLAZEFACE_CPU") else { return detected }
        switch String(cString: v) {
        case "avx2": return detected.intersection(.avx2)
        case "none": return []
        default: return detected
        }
    }()
}

import Foundation
import CKernels

/// How a ``CompiledModel`` picks its kernels.
public struct EngineOptions: Sendable, Hashable {
    /// Kernel families.
    public enum Kernels: String, Sendable, Hashable, CaseIterable {
        /// The optimized kernels where the CPU has their ISA and the op's shape fits them
        /// (int8 results stay bit-exact with the reference), the reference kernels elsewhere.
        case fast
        /// The reference kernels only: the exact oracle.
        case reference
    }

    /// The kernel family to use.
    public var kernels: Kernels

    /// - Parameter kernels: defaults to ``defaultKernels``.
    public init(kernels: Kernels = EngineOptions.defaultKernels) {
        self.kernels = kernels
    }

    /// `.reference` when the environment sets `BLAZEFACE_KERNELS=reference`, else `.fast`.
    public static var defaultKernels: Kernels {
        if let v = getenv("BLAZEFACE_KERNELS"), String(cString: v) == "reference" { return .reference }
        return .fast
    }
}

/// The ISA extensions the fast kernels can use on this machine.
public struct CPUFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let avx2 = CPUFeatures(rawValue: Int32(BF_CPU_AVX2))
    public static let avx512 = CPUFeatures(rawValue: Int32(BF_CPU_AVX512))
    public static let avx512vnni = CPUFeatures(rawValue: Int32(BF_CPU_AVX512VNNI))
    public static let avx512vbmi = CPUFeatures(rawValue: Int32(BF_CPU_AVX512VBMI))

    /// Detected once with cpuid and xgetbv (the OS must save the vector state).
    public static let current = CPUFeatures(rawValue: bf_cpu_features())
}

/// Prepared parameters of a C microkernel and the 64-byte aligned buffer of its packed
/// constants, both immutable after init and freed with the kernel.
final class PackedParams<P>: @unchecked Sendable {
    let params: UnsafeMutablePointer<P>
    let buffer: UnsafeMutableRawPointer?

    init(_ params: P, bytes: Int, pack: (UnsafeMutablePointer<P>, UnsafeMutableRawPointer) -> Void = { _, _ in }) {
        self.params = .allocate(capacity: 1)
        self.params.initialize(to: params)
        if bytes > 0 {
            let b = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            b.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            pack(self.params, b)
            buffer = b
        } else {
            buffer = nil
        }
    }

    deinit {
        params.deinitialize(count: 1)
        params.deallocate()
        buffer?.deallocate()
    }
}

/// The instruction set a kernel variant is written for, from the most to the least specific.
public enum KernelISA: String, Sendable, CaseIterable {
    /// AVX-512 F/BW/VL/DQ plus VNNI (`vpdpbusd`).
    case avx512vnni
    /// AVX-512 F/BW/VL/DQ plus VBMI (`vpermb`, `vpermi2b`).
    case avx512vbmi
    /// AVX-512 F/BW/VL/DQ.
    case avx512
    /// AVX2 with FMA.
    case avx2
    /// Portable Swift (the compiler's baseline SIMD).
    case portable
    /// The Embedded Swift kernels of `MicroKernels`, which the Cortex-M firmware runs from the
    /// same source (`blazeface export`): plain loops, no SIMD, 32-bit indices.
    case micro
    /// The reference kernel: one plain loop, the exact oracle.
    case reference

    /// The CPU features the variant needs (none for portable Swift and the reference).
    public var requiredFeatures: CPUFeatures {
        switch self {
        case .avx512vnni: return [.avx512, .avx512vnni]
        case .avx512vbmi: return [.avx512, .avx512vbmi]
        case .avx512: return .avx512
        case .avx2: return .avx2
        case .portable, .micro, .reference: return []
        }
    }
}

/// Arena byte offsets of a kernel's operands: the op's inputs (in their roles' order) and output.
struct KernelOperands: Sendable {
    var inputs: [Int]
    var output: Int

    init(inputs: [Int], output: Int) {
        self.inputs = inputs
        self.output = output
    }

    /// The first input.
    var input: Int { inputs.first ?? 0 }
}

/// One implementation of an op for one datatype: its ISA and a maker that returns nil when the
/// op's parameters fall outside what the kernel handles (the next variant is then tried).
struct KernelVariant<Setup, Made>: Sendable {
    let isa: KernelISA
    let make: @Sendable (Setup, KernelOperands) -> Made?
}

/// The kernel variants of one op and datatype, fastest first, and the reference kernel, which
/// takes every setup that prepare accepted. Names are `<op>.<datatype>.<isa>`, e.g.
/// `conv2d.qs8.avx512vnni`.
struct KernelFamily<Setup, Made>: Sendable {
    let op: String
    let datatype: String
    let variants: [KernelVariant<Setup, Made>]
    let reference: @Sendable (Setup, KernelOperands) -> Made

    func name(_ isa: KernelISA) -> String { "\(op).\(datatype).\(isa.rawValue)" }

    /// Every variant, the reference last.
    var all: [KernelVariant<Setup, Made>] {
        variants + [KernelVariant(isa: .reference) { reference($0, $1) }]
    }
}

/// A kernel and the name of the variant it came from.
struct ChosenKernel: Sendable {
    let name: String
    let kernel: any Kernel
}

/// Picks kernel variants: the one place that reads the kernel family and CPU features of
/// ``EngineOptions`` (and, through them, ``CPUFeatures/current``).
///
/// - ``EngineOptions/Kernels/reference``: the reference variant only;
/// - ``EngineOptions/Kernels/portable``: portable Swift variants, else the reference;
/// - ``EngineOptions/Kernels/micro``: the microcontroller's Embedded Swift variants, else the reference;
/// - ``EngineOptions/Kernels/fast``: the first variant whose ISA the CPU has and which accepts
///   the op's parameters, else the reference.
struct KernelSelector: Sendable {
    let kernels: EngineOptions.Kernels
    let cpu: CPUFeatures

    init(_ options: EngineOptions) {
        kernels = options.kernels
        cpu = options.cpuOverride.map { $0.intersection(.detected) } ?? .current
    }

    /// True when a variant for `isa` may run under these options on this CPU.
    func allows(_ isa: KernelISA) -> Bool {
        switch kernels {
        case .reference: return isa == .reference
        case .portable: return isa == .portable || isa == .reference
        case .micro: return isa == .micro || isa == .reference
        case .fast: return isa != .micro && cpu.isSuperset(of: isa.requiredFeatures)
        }
    }

    /// The first allowed variant of `family` that accepts `setup`, else the reference.
    func choose<Setup, Made>(_ family: KernelFamily<Setup, Made>, _ setup: Setup,
                             _ operands: KernelOperands) -> (name: String, made: Made) {
        for v in family.variants where allows(v.isa) {
            if let made = v.make(setup, operands) { return (family.name(v.isa), made) }
        }
        return (family.name(.reference), family.reference(setup, operands))
    }

    /// ``choose(_:_:_:)`` for arena kernels.
    func kernel<Setup>(_ family: KernelFamily<Setup, any Kernel>, _ setup: Setup, _ operands: KernelOperands) -> ChosenKernel {
        let (name, kernel) = choose(family, setup, operands)
        return ChosenKernel(name: name, kernel: kernel)
    }
}

/// Shorthand for the families of arena kernels.
typealias OpKernels<Setup> = KernelFamily<Setup, any Kernel>

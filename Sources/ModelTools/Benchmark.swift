import Foundation
import Engine

/// Latency measurement of a model on one thread (the numbers `blazeface bench` prints).
public enum Benchmark {
    /// Summary of timed runs, in milliseconds.
    public struct Timing: Sendable, Hashable {
        public var min: Double, median: Double, p90: Double
        public var runs: Int
    }

    /// Times `runs` invocations after `warmup` untimed ones, on a fixed pseudo-random input.
    public static func measureModel(compiled: CompiledModel, runs: Int = 300, warmup: Int = 30) -> Timing {
        let interpreter = Interpreter(compiled)
        fillInputs(interpreter)
        for _ in 0..<warmup { interpreter.invoke() }
        var ms: [Double] = []
        ms.reserveCapacity(max(runs, 1))
        for _ in 0..<max(runs, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            interpreter.invoke()
            ms.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        ms.sort()
        func q(_ p: Double) -> Double { ms[Swift.min(ms.count - 1, Int(Double(ms.count - 1) * p))] }
        return Timing(min: ms[0], median: q(0.5), p90: q(0.9), runs: ms.count)
    }

    /// Median milliseconds per op (execution index, op, kernel variant name), for finding hot spots.
    public static func profileOps(compiled: CompiledModel, runs: Int = 100) -> [(index: Int, op: String, kernel: String, ms: Double)] {
        let interpreter = Interpreter(compiled)
        fillInputs(interpreter)
        interpreter.invoke()
        var samples = Array(repeating: [Double](), count: compiled.ops.count)
        for _ in 0..<max(runs, 1) {
            interpreter.invoke { i in
                let t0 = DispatchTime.now().uptimeNanoseconds
                return { samples[i].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6) }
            }
        }
        return compiled.ops.compactMap { op in
            guard op.runs, op.fusedInto == nil, !op.runsAtInput, let name = op.kernelName else { return nil }
            let s = samples[op.index].sorted()
            return (op.index, op.op.description, name, s.isEmpty ? 0 : s[s.count / 2])
        }
    }

    /// Uniform [0, 1) floats (SplitMix64, fixed seed), 8-bit pixels where the model takes them
    /// (``CompiledModel/acceptsPixels(input:)``), or bytes into every input.
    public static func fillInputs(_ interpreter: Interpreter) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for (k, t) in interpreter.compiled.inputs.enumerated() {
            if interpreter.compiled.acceptsPixels(input: k) {
                try? interpreter.setInput(k, pixels: (0..<t.elementCount).map { _ in UInt8(truncatingIfNeeded: next()) })
            } else if t.type == .float32 {
                try? interpreter.setInput(k, floats: (0..<t.elementCount).map { _ in Float(next() >> 40) / Float(1 << 24) })
            } else if let b = interpreter.tensorBytes(t.index) {
                for i in 0..<b.count { b[i] = UInt8(truncatingIfNeeded: next()) }
            }
        }
    }
}

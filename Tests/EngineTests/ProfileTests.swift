import Foundation
import Testing
import TestSupport
import TFLite
@testable import Engine
@testable import ModelTools

/// Per-op timing, printed only when BLAZEFACE_PROFILE=1 (a tool for kernel work, not a check).
@Suite struct ProfileTests {
    @Test(.requires(.int8Model)) func profileWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["BLAZEFACE_PROFILE"] == "1" else { return }
        for path in [SharedData.int8Model, SharedData.floatModel] {
            for memory in EngineOptions.Memory.allCases {
                let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: path), options: EngineOptions(memory: memory))
                let t = Benchmark.measureModel(compiled: compiled, runs: 500, warmup: 50)
                print("\(path) \(memory): min \(t.min) median \(t.median) p90 \(t.p90) ms, arena \(compiled.plan.arenaSize) B")
            }
            let compiled = try CompiledModel(model: TFLiteModel(contentsOfFile: path), options: EngineOptions(memory: .compact))
            var byKind: [String: Double] = [:]
            for r in Benchmark.profileOps(compiled: compiled, runs: 100) {
                print(String(format: "%3d %-20@ %-36@ %.4f", r.index, r.op as NSString, r.kernel as NSString, r.ms))
                byKind[r.kernel, default: 0] += r.ms
            }
            for (k, v) in byKind.sorted(by: { $0.value > $1.value }) { print(String(format: "  %-36@ %.4f ms", k as NSString, v)) }
        }
    }
}

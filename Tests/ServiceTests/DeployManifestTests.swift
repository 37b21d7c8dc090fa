import FaceService
import Foundation
import Testing
import TestSupport
import Yams

/// `deploy/`'s Kubernetes manifests agree with the server: ports, probe paths, flags.
struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func manifest(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: root.appendingPathComponent("deploy/" + name), encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any], "deploy/\(name) is not a YAML mapping")
    }

    static func dig(_ value: Any?, _ path: String...) -> Any? {
        var v = value
        for key in path {
            if let i = Int(key) { v = (v as? [Any]).flatMap { i < $0.count ? $0[i] : nil } } else { v = (v as? [String: Any])?[key] }
        }
        return v
    }

    /// The value after `flag` in `args`.
    static func flag(_ args: [String], _ flag: String) -> String? {
        args.firstIndex(of: flag).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
    }

    @Test func deploymentProbesAndPortsMatchTheServer() throws {
        let d = try Self.manifest("deployment.yaml")
        #expect(d["kind"] as? String == "Deployment")
        let container = try #require(Self.dig(d, "spec", "template", "spec", "containers", "0") as? [String: Any])
        let args = try #require(container["args"] as? [String])
        #expect(args.first == "serve")
        #expect(Self.flag(args, "--host") == "0.0.0.0")
        let port = try #require(Int(Self.flag(args, "--port") ?? ""))
        #expect(port == ServiceConfiguration.defaultPort)
        #expect(Self.dig(container, "ports", "0", "containerPort") as? Int == port)
        let portName = Self.dig(container, "ports", "0", "name") as? String
        for (probe, path) in [("readinessProbe", ServiceConfiguration.readinessPath), ("livenessProbe", ServiceConfiguration.livenessPath)] {
            #expect(Self.dig(container, probe, "httpGet", "path") as? String == path, "\(probe)")
            let p = Self.dig(container, probe, "httpGet", "port")
            #expect((p as? String) == portName || (p as? Int) == port, "\(probe) port")
        }
        #expect(Self.dig(d, "spec", "template", "metadata", "annotations", "prometheus.io/path") as? String == ServiceConfiguration.metricsPath)
        #expect(Self.dig(container, "resources", "requests", "memory") != nil)
        // Every flag the manifest passes is one `serve` knows.
        let help = try runProcess(ServerProcess.binary, ["serve", "--help"])
        for a in args where a.hasPrefix("--") { #expect(help.stdout.contains(a + " "), "serve has no \(a)") }
        // Kubernetes' grace period leaves time for the deadline of the requests being drained.
        let grace = try #require(Self.dig(d, "spec", "template", "spec", "terminationGracePeriodSeconds") as? Int)
        #expect(Double(grace) > Double(Self.flag(args, "--deadline") ?? "") ?? ServiceConfiguration().deadlineSeconds)

        let s = try Self.manifest("service.yaml")
        #expect(Self.dig(s, "spec", "ports", "0", "targetPort") as? String == portName)
        #expect(Self.dig(s, "spec", "selector") as? [String: String] == Self.dig(d, "spec", "selector", "matchLabels") as? [String: String])

        let h = try Self.manifest("hpa.yaml")
        #expect(Self.dig(h, "spec", "scaleTargetRef", "name") as? String == Self.dig(d, "metadata", "name") as? String)
        #expect(Self.dig(h, "spec", "metrics", "0", "resource", "name") as? String == "cpu")
    }

    @Test func indexedJobShardsByCompletionIndex() throws {
        let j = try Self.manifest("indexed-job.yaml")
        #expect(j["kind"] as? String == "Job")
        #expect(Self.dig(j, "spec", "completionMode") as? String == "Indexed")
        let completions = try #require(Self.dig(j, "spec", "completions") as? Int)
        let script = try #require((Self.dig(j, "spec", "template", "spec", "containers", "0", "args") as? [String])?.joined(separator: " "))
        #expect(script.contains("--shard \"$JOB_COMPLETION_INDEX/\(completions)\""), "\(script)")
        #expect(script.contains("--resume") && script.contains("--format jsonl"))
        #expect(script.contains("$JOB_COMPLETION_INDEX.jsonl"))
    }
}

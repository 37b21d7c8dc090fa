import Foundation
import Installation
import Testing
import TestSupport

@Suite struct InstallationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `blazeface` binary built beside this test bundle (`swift build --build-tests`).
    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("blazeface").path,
            packageRoot + "/.build/debug/blazeface",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }()

    static func run(_ executable: String, _ args: [String]) throws -> ProcessOutput {
        try runProcess(executable, args)
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func installScriptPutsTheBinaryAndModelsUnderThePrefix() throws {
        let prefix = NSTemporaryDirectory() + "blazeface-install-" + UUID().uuidString + "/usr"
        defer { try? FileManager.default.removeItem(atPath: (prefix as NSString).deletingLastPathComponent) }
        let r = try Self.run("/bin/bash", [Self.packageRoot + "/scripts/install.sh", "--binary", Self.binary, prefix])
        #expect(r.status == 0, "\(r.stderr)")

        let installed = prefix + "/bin/blazeface"
        #expect(try Self.mode(installed) == 0o755)
        #expect(FileManager.default.contentsEqual(atPath: installed, andPath: Self.binary))
        let modelsDir = prefix + "/share/blazeface/models"
        #expect(try Self.mode(modelsDir) == 0o755)
        let sourceModels = try FileManager.default.contentsOfDirectory(atPath: Self.packageRoot + "/models")
            .filter { $0.hasSuffix(".tflite") }.sorted()
        #expect(sourceModels.contains("face_detection_front.tflite"))
        let installedModels = try FileManager.default.contentsOfDirectory(atPath: modelsDir).sorted()
        #expect(installedModels == sourceModels)
        for model in installedModels {
            #expect(try Self.mode(modelsDir + "/" + model) == 0o644, "\(model)")  // not world-writable
            #expect(FileManager.default.contentsEqual(atPath: modelsDir + "/" + model, andPath: Self.packageRoot + "/models/" + model))
        }
        #expect(r.stderr.contains("install: \(installed), \(sourceModels.count) models in \(modelsDir) and the firmware sources"))
        // The sources `blazeface export` copies into a firmware project.
        for file in ["Firmware/Makefile", "Firmware/mve/bf_mve.c", "Firmware/swift/Entry.swift", "Sources/MicroKernels/Runtime.swift",
                     "Sources/CMicroPlan/include/blazeface_plan.h"] {
            #expect(FileManager.default.contentsEqual(atPath: prefix + "/share/blazeface/" + file, andPath: Self.packageRoot + "/" + file), "\(file)")
        }

        // The installed binary runs, and the folder it will search is the installed one.
        let help = try Self.run(installed, ["--help"])
        #expect(help.status == 0)
        #expect(InstalledModels.folder(forExecutable: installed) == modelsDir)
    }

    @Test func installScriptRefusesAMissingBinary() throws {
        let prefix = NSTemporaryDirectory() + "blazeface-install-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let r = try Self.run("/bin/bash", [Self.packageRoot + "/scripts/install.sh", "--binary", "/nonexistent/blazeface", prefix])
        #expect(r.status == 1)
        #expect(r.stderr == "install: /nonexistent/blazeface: no executable binary there\n")
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin"))
    }

    @Test func modelsFolderIsBesideTheExecutable() {
        #expect(InstalledModels.folder(forExecutable: "/usr/local/bin/blazeface") == "/usr/local/share/blazeface/models")
        #expect(InstalledModels.folder(forExecutable: "/opt/bf/bin/blazeface") == "/opt/bf/share/blazeface/models")
        #expect(InstalledModels.folder(forExecutable: "/blazeface") == "/share/blazeface/models")
        #expect(InstalledModels.folder(forExecutable: "bin/blazeface") == "share/blazeface/models")
        // This test bundle's executable has no installed models beside it.
        let exe = InstalledModels.executablePath()
        #expect(exe?.hasPrefix("/") == true)
        #expect(InstalledModels.folder() == nil)
    }

    @Test func versionMatchesTheNewestReleaseInTheChangelog() throws {
        let changelog = try String(contentsOfFile: Self.packageRoot + "/CHANGELOG.md", encoding: .utf8)
        let releases = changelog.split(separator: "\n").filter { $0.hasPrefix("## [") && !$0.hasPrefix("## [Unreleased]") }
        let newest = try #require(releases.first)
        #expect(newest.hasPrefix("## [\(BlazeFaceVersion.string)] - "))
        #expect(changelog.contains("## [Unreleased]"))
        #expect(BlazeFaceVersion.string.split(separator: ".").count == 3)
    }
}

import Foundation
import Testing
import TestSupport

/// The web page in a real browser: Debian's headless `chromium` loads `/?demo`, which posts the
/// server's `--demo-image` through the page's own code, and the DOM must show the face drawn.
/// Opt-in (`BLAZEFACE_BROWSER_TESTS=1`): Chromium is too heavy to install for every CI run.
/// `BLAZEFACE_SCREENSHOT=FILE` also saves a screenshot (docs/serve-page.png was made so).
struct BrowserTests {
    static let enabled = ProcessInfo.processInfo.environment["BLAZEFACE_BROWSER_TESTS"] == "1"

    @Test(.enabled(if: enabled, "opt-in: set BLAZEFACE_BROWSER_TESTS=1 (needs Debian's chromium)"))
    func pageDrawsTheFaceOfTheDemoPhoto() async throws {
        let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "BLAZEFACE_BROWSER_TESTS=1 but no chromium (apt-get install chromium)")
        let server = try await ServerProcess(["--demo-image", SharedData.samplePhoto])
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--virtual-time-budget=30000"]
        let dom = try runProcess(chromium, common + ["--dump-dom", server.url + "/?demo"])
        #expect(dom.stdout.contains(#"<body data-faces="1">"#), "\(dom.stdout)")
        #expect(dom.stdout.contains("1 face in 512x512 (scores 0.92)"))
        if let shot = ProcessInfo.processInfo.environment["BLAZEFACE_SCREENSHOT"] {
            let r = try runProcess(chromium, common + ["--window-size=760,900", "--screenshot=\(shot)", server.url + "/?demo"])
            #expect(FileManager.default.fileExists(atPath: shot), "\(r.stderr)")
        }
        // The page made its own requests: the page, the demo photo, and the detection.
        #expect(try await server.terminate() == 0)
        for path in ["/", "/demo-image", "/v1/detect"] {
            #expect(server.logLines.contains { $0.contains("\"path\":\"\(path)\"") && $0.contains("\"status\":200") }, "\(path)")
        }
    }
}

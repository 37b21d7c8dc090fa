import BlazeFace
import ArgumentParser
import FaceService
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// `blazeface serve`: the HTTP service (FaceService), with its limits as flags.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve face detection over HTTP (POST /v1/detect, /v1/anonymize; GET /, /healthz, /readyz, /metrics).",
        discussion: """
        Logs one JSON line per request on standard error, with its request ID (also sent back as \
        X-Request-ID). SIGTERM or SIGINT: stop accepting, finish the accepted requests, exit 0. \
        See docs/service.md.
        """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "TCP port (0: any free port, named in the 'listening' log line).")
    var port = ServiceConfiguration.defaultPort

    @Option(help: ArgumentHelp("A model name (\(ModelNames.list)) or .tflite file; repeat to serve several (?model= picks one; the first is the default; none given: $BLAZEFACE_MODEL, else front-int8 when present, else front).",
                               valueName: "name|file"))
    var model: [String] = []

    @Option(parsing: .unconditional, help: "Worker threads running detections (requests served at once).")
    var threads = ServiceConfiguration().threads

    @Option(parsing: .unconditional, help: "Requests that may wait for a worker; past it: 503 with Retry-After.")
    var queue = ServiceConfiguration().queue

    @Option(name: .customLong("max-body-mb"), parsing: .unconditional, help: "Largest request body, in MB (413 past it).")
    var maxBodyMB: Double = Double(ServiceConfiguration().maxBodyBytes) / 1_048_576

    @Option(parsing: .unconditional, help: "Largest image, in megapixels (413 past it).")
    var maxMegapixels = ServiceConfiguration().maxMegapixels

    @Option(parsing: .unconditional, help: "Megabytes that all image decodes share at once.")
    var maxDecodeMemory = ServiceConfiguration().maxDecodeMemoryMB

    @Option(parsing: .unconditional, help: "Seconds a request may take from its arrival, body included (408 or 503 past it).")
    var deadline = ServiceConfiguration().deadlineSeconds

    @Option(parsing: .unconditional, help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout = ServiceConfiguration().idleTimeoutSeconds

    @Option(help: "An image the web page's /?demo mode posts (served at /demo-image).")
    var demoImage: String?

    var serviceConfiguration: ServiceConfiguration {
        ServiceConfiguration(host: host, port: port, models: model.isEmpty ? [ModelFiles.defaultModel] : model, threads: threads,
                                    queue: queue, maxBodyBytes: Int((maxBodyMB * 1_048_576).rounded()), maxMegapixels: maxMegapixels,
                                    maxDecodeMemoryMB: maxDecodeMemory, deadlineSeconds: deadline, idleTimeoutSeconds: idleTimeout,
                                    demoImage: demoImage)
    }

    func validate() throws {
        guard maxBodyMB > 0 && maxBodyMB <= 4096 else { throw ValidationError("--max-body-mb must be in (0, 4096], got \(maxBodyMB)") }
        if let problem = serviceConfiguration.problem() { throw ValidationError(problem) }
    }

    func run() async throws {
        Self.fixMmapThreshold()
        let configuration = serviceConfiguration
        let models = try reportingErrors { try ServedModels(configuration.models) }
        let logger = Logger(label: "blazeface.serve") { JSONLogHandler(label: $0) }
        try await FaceServer(configuration: configuration, models: models, logger: logger).run()
    }

    /// glibc's malloc raises its mmap threshold to the size of each large block freed (up to
    /// 32 MiB), after which decoded images and request bodies come from the worker threads'
    /// heaps and fragment them: under sustained load RSS stepped from ~98 to ~108 MB after 11
    /// minutes (and fell back to 94 MB once idle). A fixed threshold keeps every block of 256 KiB
    /// or more (a decoded photo) in its own mapping, returned to the system when freed.
    static func fixMmapThreshold() {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not import; M_MMAP_THRESHOLD
        // is -3 in glibc's ABI.
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, 256 * 1024)
        #endif
    }
}

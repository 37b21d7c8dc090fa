import Dispatch
import Foundation
import Hummingbird
import Imaging
import Logging
import NIOCore
import ServiceLifecycle

/// `blazeface serve`: the HTTP service. One prepared model (or a few) shared by all requests;
/// detection runs on a ``WorkerPool`` of `threads` threads behind a bounded queue. SIGTERM or
/// SIGINT stop it gracefully: it stops accepting, finishes the requests it accepted, and
/// ``run()`` returns.
public final class FaceServer: Sendable {
    /// What the server was started with.
    public let configuration: ServiceConfiguration
    /// The prepared models.
    public let models: ServedModels
    /// The metrics served at `/metrics`.
    public let metrics: ServiceMetrics
    let logger: Logger
    let pool: WorkerPool
    let state = ServiceState()

    /// Prepares a server (the models are already prepared); nothing listens before ``run()``.
    /// Applies the image limits process-wide.
    public init(configuration: ServiceConfiguration, models: ServedModels, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()) {
        self.configuration = configuration
        self.models = models
        self.metrics = metrics
        self.logger = logger
        pool = WorkerPool(threads: configuration.threads, capacity: configuration.queue)
        ImageDecoder.maximumPixelCount = configuration.maxMegapixels * 1_000_000
        ImageDecoder.memoryBudget = configuration.maxDecodeMemoryMB * 1_000_000
        ImageDecoder.maximumFileSize = max(ImageDecoder.maximumFileSize, configuration.maxBodyBytes)
    }

    /// Listens until SIGTERM or SIGINT, then drains and returns. The first log line,
    /// `listening`, names the port (useful with port 0).
    public func run() async throws {
        let app = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeoutSeconds * 1000)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "blazeface"),
            onServerRunning: { [self] channel in
                logger.info("listening", metadata: ["host": .string(configuration.host),
                                                    "port": .stringConvertible(channel.localAddress?.port ?? configuration.port),
                                                    "models": .string(models.entries.map(\.name).joined(separator: ",")),
                                                    "threads": .stringConvertible(configuration.threads)])
                await warmUp()
            },
            logger: logger
        )
        let watcher = DrainWatcher(state: state, metrics: metrics, logger: logger)
        let group = ServiceGroup(services: [app, watcher], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        pool.shutdown()
        logger.info("stopped", metadata: ["served": .stringConvertible(state.served)])
    }

    /// The endpoints with their middleware (IDs, error responses, metrics, log lines) as a
    /// responder, to answer requests in-process without a socket: the `http` fuzz target feeds it
    /// the requests NIO's HTTP/1 decoder parses from raw bytes. Requests are 503 `not_ready`
    /// until ``warmUp()`` has run.
    public func makeResponder() -> RouterResponder<ServiceRequestContext> { makeRouter().buildResponder() }

    /// Runs each model once per worker on a blank image (interpreters made, caches warm), then
    /// reports ready. ``run()`` calls it once it listens.
    public func warmUp() async {
        let blank = (try? RGBImage(width: 64, height: 64, pixels: [UInt8](repeating: 128, count: 64 * 64 * 3)))
        await withTaskGroup(of: Void.self) { group in
            for entry in models.entries {
                for _ in 0..<configuration.threads {
                    group.addTask { [pool] in
                        _ = try? await pool.run(deadline: .now() + 60) { blank.map { entry.detector.detect(in: $0) } }
                    }
                }
            }
        }
        state.set(.ready)
        metrics.ready.set(to: 1)
        logger.info("ready")
    }
}

/// Starting, ready, or draining (shutting down); and requests served.
final class ServiceState: @unchecked Sendable {
    enum Phase: String { case starting, ready, draining }
    private let lock = NSLock()
    private var phase = Phase.starting
    private var count = 0

    var current: Phase { lock.withLock { phase } }
    var served: Int { lock.withLock { count } }
    func set(_ p: Phase) { lock.withLock { if phase != .draining { phase = p } } }
    func countServed() { lock.withLock { count += 1 } }
}

/// Marks the service draining (readiness fails) as soon as graceful shutdown begins; the
/// service group shuts it down before the HTTP server, which then finishes what it accepted.
struct DrainWatcher: Service {
    let state: ServiceState
    let metrics: ServiceMetrics
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        state.set(.draining)
        metrics.ready.set(to: 0)
        logger.info("draining: no new connections; finishing the requests accepted")
    }
}

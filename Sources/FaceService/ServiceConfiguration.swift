import BlazeFace

/// Everything `blazeface serve` is started with: where it listens, what it serves, and its limits.
/// The defaults are the flags' defaults (and what `deploy/` assumes).
public struct ServiceConfiguration: Sendable {
    /// The address to listen on.
    public var host: String
    /// The TCP port (0: any free port, reported on the first log line).
    public var port: Int
    /// Model names or `.tflite` paths, prepared at start; the first is the default of `?model=`.
    public var models: [String]
    /// Worker threads that run detections (requests served at once).
    public var threads: Int
    /// Requests that may wait for a worker; past it a request is answered 503 with `Retry-After`.
    public var queue: Int
    /// The largest request body, in bytes (413 past it).
    public var maxBodyBytes: Int
    /// The largest decoded image, in megapixels (413 past it).
    public var maxMegapixels: Int
    /// Megabytes all decodes share at once.
    public var maxDecodeMemoryMB: Int
    /// Seconds a request may take from its arrival, body included (408 while the body is still
    /// arriving, 503 once waited for a worker or running).
    public var deadlineSeconds: Double
    /// Seconds an idle keep-alive connection stays open.
    public var idleTimeoutSeconds: Double
    /// An image that the web page's `?demo` mode posts (served at `GET /demo-image`); nil: none.
    public var demoImage: String?

    /// The default port.
    public static let defaultPort = 8080
    /// The path of the liveness probe.
    public static let livenessPath = "/healthz"
    /// The path of the readiness probe.
    public static let readinessPath = "/readyz"
    /// The path of the Prometheus metrics.
    public static let metricsPath = "/metrics"

    /// Creates a configuration; every parameter has the flag's default.
    public init(host: String = "127.0.0.1", port: Int = ServiceConfiguration.defaultPort, models: [String] = [ModelFiles.defaultModel],
                threads: Int = 2, queue: Int = 32, maxBodyBytes: Int = 20 << 20, maxMegapixels: Int = 50,
                maxDecodeMemoryMB: Int = 200, deadlineSeconds: Double = 10, idleTimeoutSeconds: Double = 60,
                demoImage: String? = nil) {
        self.host = host
        self.port = port
        self.models = models
        self.threads = threads
        self.queue = queue
        self.maxBodyBytes = maxBodyBytes
        self.maxMegapixels = maxMegapixels
        self.maxDecodeMemoryMB = maxDecodeMemoryMB
        self.deadlineSeconds = deadlineSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.demoImage = demoImage
    }

    /// The first problem with these values, or nil.
    public func problem() -> String? {
        if !(0...65535).contains(port) { return "--port must be between 0 and 65535, got \(port)" }
        if models.isEmpty { return "--model needs at least one model" }
        if !(1...256).contains(threads) { return "--threads must be between 1 and 256, got \(threads)" }
        if !(0...100_000).contains(queue) { return "--queue must be between 0 and 100000, got \(queue)" }
        if maxBodyBytes < 1 { return "--max-body-mb must be positive" }
        if !(1...100_000).contains(maxMegapixels) { return "--max-megapixels must be between 1 and 100000, got \(maxMegapixels)" }
        if !(16...1_000_000).contains(maxDecodeMemoryMB) { return "--max-decode-memory must be between 16 and 1000000 MB, got \(maxDecodeMemoryMB)" }
        if !(deadlineSeconds > 0 && deadlineSeconds <= 3600) { return "--deadline must be in (0, 3600] seconds, got \(deadlineSeconds)" }
        if !(idleTimeoutSeconds > 0 && idleTimeoutSeconds <= 3600) { return "--idle-timeout must be in (0, 3600] seconds, got \(idleTimeoutSeconds)" }
        return nil
    }
}

import Foundation
import Prometheus

/// The service's Prometheus metrics, served as text at `GET /metrics`:
/// `blazeface_http_requests_total{route,status}`, `blazeface_http_request_duration_seconds`
/// (a histogram per route), `blazeface_http_requests_in_flight`, `blazeface_model_calls_total{model}`,
/// `blazeface_faces_total`, `blazeface_worker_queue_depth` and `blazeface_ready`.
public final class ServiceMetrics: Sendable {
    /// The registry the metrics live in (and that `MetricsSystem` may be bootstrapped with).
    public let registry: PrometheusCollectorRegistry
    let inFlight: Gauge
    let queueDepth: Gauge
    let ready: Gauge
    let faces: Counter

    /// The latency buckets, in seconds.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000].map { .microseconds(Int64($0 * 1000)) }

    static var requests: MetricNameDescriptor { name("http_requests", "HTTP requests answered, by route and status.", unit: "total") }
    static var duration: MetricNameDescriptor { name("http_request_duration", "Time from a request's arrival to its response, by route.", unit: "seconds") }
    static var calls: MetricNameDescriptor { name("model_calls", "Model invocations (1 per image in one pass, more with tiles).", unit: "total") }

    /// `blazeface_<name>[_<unit>]`.
    static func name(_ name: String, _ help: String, unit: String = "") -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "blazeface", metricName: name, unitName: unit, helpText: help)
    }

    /// Creates the metrics in `registry`.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        inFlight = registry.makeGauge(descriptor: Self.name("http_requests_in_flight", "HTTP requests being served now."))
        queueDepth = registry.makeGauge(descriptor: Self.name("worker_queue_depth", "Requests waiting for a worker thread."))
        ready = registry.makeGauge(descriptor: Self.name("ready", "1 once the models are prepared and warm, 0 while starting or draining."))
        faces = registry.makeCounter(descriptor: Self.name("faces", "Faces found (detect and anonymize).", unit: "total"))
    }

    /// Counts one finished request and its latency.
    func record(route: String, status: Int, seconds: Double) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)], buckets: Self.buckets)
            .record(.nanoseconds(Int64(max(0, seconds) * 1e9)))
    }

    /// Counts model invocations.
    func modelCalls(_ n: Int, model: String) {
        registry.makeCounter(descriptor: Self.calls, labels: [("model", model)]).increment(by: Int64(n))
    }

    /// The Prometheus text exposition.
    public func text() -> [UInt8] { registry.emitToBuffer() }
}

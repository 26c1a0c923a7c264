import Dispatch
import Hummingbird
import Metrics
import Synchronization

/// Hummingbird's request metrics (`hb.requests`, `hb.request.errors`,
/// `http.server.request.duration`, `http.server.active_requests`, with the
/// same dimensions), recorded without wrapping a response whose length is
/// known.
///
/// Hummingbird's own `MetricsMiddleware` wraps every body in a closure to
/// record after the write. A wrapped body loses the server's fast path, which
/// hands head, body and end to the channel in one write; instead each went to
/// the event loop on its own (three hops and two socket writes per scan).
/// A body of known length is written in one go right after the handler
/// returns, so it is timed then; only streamed bodies (exports) are still
/// timed to their last byte.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let cache: RequestMetricsCache

    /// - Parameter factory: the global one (Prometheus under `signet serve`) unless a test gives its own.
    init(factory: any MetricsFactory = MetricsSystem.factory) {
        cache = RequestMetricsCache(factory: factory)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let startTime = DispatchTime.now().uptimeNanoseconds
        let active = cache.activeRequests(method: request.method)
        active.increment()
        do {
            var response = try await next(request, context)
            let endpoint = cache.endpoint(path: context.endpointPath ?? "Unknown", method: request.method, status: response.status)
            if response.body.contentLength != nil {
                endpoint.record(since: startTime)
                active.decrement()
            } else {
                let body = response.body
                response.body = ResponseBody { writer in
                    defer {
                        endpoint.record(since: startTime)
                        active.decrement()
                    }
                    try await body.write(writer)
                }
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            let endpoint = cache.endpoint(path: context.endpointPath ?? "NotFound", method: request.method, status: status)
            endpoint.requests.increment()
            endpoint.errors.increment()
            active.decrement()
            throw error
        }
    }
}

/// The metric objects by method and by route, method and status, made once:
/// the metrics factory's own lookup by label and dimensions costs more.
final class RequestMetricsCache: Sendable {
    struct Endpoint: Sendable {
        let requests: Counter
        let duration: Timer
        let errors: Counter

        func record(since startTime: UInt64) {
            requests.increment()
            duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - startTime)
        }
    }

    private struct EndpointKey: Hashable {
        let path: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    private let factory: any MetricsFactory
    private let meters = Mutex<[HTTPRequest.Method: Meter]>([:])
    private let endpoints = Mutex<[EndpointKey: Endpoint]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func activeRequests(method: HTTPRequest.Method) -> Meter {
        meters.withLock { meters in
            if let meter = meters[method] { return meter }
            let meter = Meter(
                label: "http.server.active_requests", dimensions: [("http.request.method", method.description)], factory: factory)
            meters[method] = meter
            return meter
        }
    }

    func endpoint(path: String, method: HTTPRequest.Method, status: HTTPResponse.Status) -> Endpoint {
        let key = EndpointKey(path: path, method: method, status: status)
        return endpoints.withLock { endpoints in
            if let endpoint = endpoints[key] { return endpoint }
            let dimensions = [
                ("http.route", path), ("http.request.method", method.description), ("http.response.status_code", status.code.description),
            ]
            let endpoint = Endpoint(
                requests: Counter(label: "hb.requests", dimensions: dimensions, factory: factory),
                duration: Timer(
                    label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory),
                errors: Counter(
                    label: "hb.request.errors",
                    dimensions: [
                        ("http.route", path), ("http.request.method", method.description), ("error.type", status.code.description),
                    ],
                    factory: factory))
            endpoints[key] = endpoint
            return endpoint
        }
    }
}

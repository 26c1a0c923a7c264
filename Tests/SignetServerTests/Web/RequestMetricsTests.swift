import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
@testable import SignetServer
import Testing

/// The request metrics operators alert on, for whole answers, streamed ones and errors.
@Suite("Request metrics")
struct RequestMetricsTests {
    @Test("whole, streamed and refused requests are counted and timed by route, method and status")
    func recorded() async throws {
        let registry = PrometheusCollectorRegistry()
        let router = Router()
        router.middlewares.add(RequestMetricsMiddleware(factory: PrometheusMetricsFactory(registry: registry)))
        router.get("/page") { _, _ in
            Response(status: .ok, headers: [:], body: .init(byteBuffer: ByteBuffer(string: "whole")))
        }
        router.get("/export") { _, _ in
            Response(status: .ok, headers: [:], body: .init(asyncSequence: [ByteBuffer(string: "a"), ByteBuffer(string: "b")].async))
        }
        router.get("/refused") { _, _ -> Response in throw HTTPError(.conflict) }

        try await Application(router: router).test(.router) { (client: any TestClientProtocol) async throws in
            #expect(try await client.execute(uri: "/page", method: .get).body == ByteBuffer(string: "whole"))
            #expect(try await client.execute(uri: "/page", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/export", method: .get).body == ByteBuffer(string: "ab"))
            #expect(try await client.execute(uri: "/refused", method: .get).status == .conflict)
        }

        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"hb_requests{http_route="/page",http_request_method="GET",http_response_status_code="200"} 2"#))
        #expect(text.contains(#"hb_requests{http_route="/export",http_request_method="GET",http_response_status_code="200"} 1"#))
        #expect(text.contains(#"hb_requests{http_route="/refused",http_request_method="GET",http_response_status_code="409"} 1"#))
        #expect(text.contains(#"hb_request_errors{http_route="/refused",http_request_method="GET",error_type="409"} 1"#))
        #expect(text.contains(#"http_server_request_duration_count{http_route="/page",http_request_method="GET",http_response_status_code="200"} 2"#))
        #expect(text.contains(#"http_server_request_duration_count{http_route="/export",http_request_method="GET",http_response_status_code="200"} 1"#))
        // Every request has ended, the streamed one included.
        #expect(text.contains(#"http_server_active_requests{http_request_method="GET"} 0"#))
    }
}

private extension Array where Element: Sendable {
    /// The elements as an async sequence, as a streamed body reads them.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}

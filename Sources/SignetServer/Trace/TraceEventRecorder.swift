import Logging
import PostgresNIO
import SignetCore

/// Records EPCIS events for a brand named by slug, all or nothing, as
/// `/epcis/capture` would: what the command line and the demo seed use.
package struct TraceEventRecorder: Sendable {
    let database: PostgresClient
    let logger: Logger

    package init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// - Returns: how many events were stored (a re-sent one is not).
    /// - Throws: `TraceEventRecorderError` naming each problem when any event is refused.
    package func record(_ events: [JSONValue], brandSlug: String) async throws -> Int {
        guard let brandID = try await database.query(
            "SELECT id FROM brands WHERE slug = \(brandSlug)", logger: logger
        ).collect().first?.decode(Int64.self) else { throw TraceEventRecorderError.unknownBrand(brandSlug) }
        let readings = events.enumerated().map { index, event in EPCISDocumentReader.event(event, index: index) }
        let outcome = try await TraceCaptureStore(database: database, logger: logger).capture(brandID: brandID, readings, behaviour: .rollback)
        guard outcome.errors.isEmpty else {
            throw TraceEventRecorderError.refused(outcome.errors.map { "\($0.field): \($0.message)" })
        }
        return outcome.captured
    }
}

package enum TraceEventRecorderError: Error, CustomStringConvertible {
    case unknownBrand(String)
    case refused([String])

    package var description: String {
        switch self {
        case .unknownBrand(let slug): "no brand \(slug)"
        case .refused(let problems): "events refused: \(problems.joined(separator: "; "))"
        }
    }
}

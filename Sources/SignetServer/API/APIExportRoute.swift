import Hummingbird
import SignetCore

/// `GET /api/v1/seal-batches/{id}/seals` (`exportSealBatch` in openapi.yaml):
/// CSV streamed from the database cursor. A plain route rather than a
/// generated handler, because it writes straight to the response as rows arrive.
struct APIExportRoute: Sendable {
    let batches: SealBatchStore
    let exporter: SealExporter

    func addRoutes(to group: RouterGroup<SignetRequestContext>) {
        group.get("seal-batches/:id/seals", use: export)
    }

    @Sendable func export(_ request: Request, context: SignetRequestContext) async throws -> Response {
        guard let client = context.apiClient else { throw APIProblem.unauthorized("No API key.") }
        guard client.scopes.contains(.sealsRead) else { throw APIProblem.forbidden(scope: APIKeyScope.sealsRead.rawValue) }
        guard let id = Int64(try context.parameters.require("id")),
              try await batches.batch(brandID: client.brandID, access: client.access, id: id, language: .en) != nil
        else { throw APIProblem.notFound("This brand has no seal batch \(context.parameters.get("id") ?? "").") }
        return exporter.csvResponse(brandSlug: client.brandSlug, batchID: id, filename: "seals-batch-\(id).csv", logger: context.logger)
    }
}

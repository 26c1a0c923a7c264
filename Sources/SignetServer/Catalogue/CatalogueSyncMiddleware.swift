import Hummingbird
import PostgresNIO

/// After a change made through this instance succeeds, the answer waits until
/// this instance's catalogue shows it: whoever saves a product, a lot or a
/// recall and then scans a seal here sees what they saved. (Other instances
/// catch up through the same notifications, within milliseconds.)
struct CatalogueSyncMiddleware<Context: RequestContext>: RouterMiddleware {
    let catalogue: CatalogueCache
    let database: PostgresClient

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if request.method != .get, request.method != .head, response.status.code < 400 {
            await catalogue.synchronize(database: database, logger: context.logger)
        }
        return response
    }
}

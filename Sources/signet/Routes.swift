import ArgumentParser
import SignetServer

struct Routes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print every route the server answers (for proxy rules and reviews).")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let configuration = try await options.configuration()
        var logger = options.logger(configuration)
        logger.logLevel = .error
        for route in try await routeList(configuration: configuration, logger: logger) {
            print(route)
        }
    }
}

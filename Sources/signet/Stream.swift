import ArgumentParser
import SignetServer

struct Stream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The consultation stream.", subcommands: [Rebase.self])

    struct Rebase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Once, after restoring a pg_dump into another PostgreSQL cluster: put the stream on this cluster's transaction ids.",
            discussion: """
                `signet serve` refuses a database whose stream positions are ahead of its cluster's \
                transaction ids and names this command. Run it with every instance stopped. \
                Consultations the readers had not reached when the dump was taken are not read again: \
                run `signet stats rebuild` for the brands whose statistics must count them.
                """)

        @OptionGroup var options: CommonOptions

        func run() async throws {
            let configuration = try await options.configuration()
            let logger = options.logger(configuration)
            let taken = try await withDatabase(configuration, logger: logger) { database in
                try await ConsultationStreamRebase(database: database, logger: logger).rebase()
            }
            print("consultation stream rebased: \(taken) restored consultations left the stream; readers start now")
        }
    }
}

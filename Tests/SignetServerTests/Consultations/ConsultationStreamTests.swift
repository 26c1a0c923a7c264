import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
@testable import SignetServer
import Synchronization
import Testing

/// The stream every scan consumer reads: each committed consultation exactly
/// once per consumer, even when transactions commit out of id order and when
/// several instances run the same consumer.
@Suite("The consultation stream")
struct ConsultationStreamTests {
    static let logger = Logger(label: "stream-test")

    /// What a consumer under test was handed.
    final class Seen: Sendable {
        private let serials = Mutex<[String]>([])
        var all: [String] { serials.withLock { $0 } }
        func append(_ batch: [StreamedConsultation]) { serials.withLock { $0 += batch.compactMap(\.serial) } }
    }

    final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Asks for batches until `seen` holds `expected` serials. The horizon is
    /// cluster-wide: other tests' open transactions hold it back for a moment.
    static func drain(_ stream: ConsultationStream, on client: PostgresClient, into seen: Seen, until expected: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while seen.all.count < expected, ContinuousClock.now < deadline {
            if try await client.withConnection({ try await stream.handleNextBatch(on: $0, consumer: "test", { _, batch in seen.append(batch) }) }) == 0 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// Inserts one consultation and returns its id.
    @discardableResult
    static func insert(_ connection: PostgresConnection, serial: String) async throws -> Int64 {
        try await connection.query("""
            INSERT INTO consultations (gtin, serial, country, served_language, verdict, channel)
            VALUES ('03760123450003', \(serial), 'FR', 'fr', 'genuine_first', 'qr') RETURNING id
            """, logger: logger).collect()[0].decode(Int64.self)
    }

    @Test("a consultation whose transaction commits after a later id's is still handled, once, in commit-safe order")
    func outOfOrderCommits() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let stream = ConsultationStream(logger: Self.logger)
                let seen = Seen()
                func drain() async throws -> Int {
                    try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "test") { _, batch in seen.append(batch) } }
                }
                #expect(try await drain() == 0)  // the consumer starts here

                try await client.withConnection { late in
                    try await late.query("BEGIN", logger: Self.logger)
                    let lateID = try await Self.insert(late, serial: "LATE")
                    let earlyID = try await client.withConnection { try await Self.insert($0, serial: "EARLY") }
                    #expect(lateID < earlyID)
                    // "EARLY" is committed, "LATE" is not: a reader taking ids above the last
                    // one it saw would take EARLY now and never see LATE. This one waits.
                    _ = try await drain()
                    #expect(seen.all.isEmpty)
                    try await late.query("COMMIT", logger: Self.logger)
                }
                try await Self.drain(stream, on: client, into: seen, until: 2)
                #expect(seen.all == ["LATE", "EARLY"])
                #expect(try await drain() == 0)
                #expect(seen.all == ["LATE", "EARLY"])
            }
        }
    }

    @Test("a transaction that takes its id first and writes last is handled once, like the ones that wrote before it")
    func idTakenEarlyWrittenLate() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let stream = ConsultationStream(logger: Self.logger)
                let seen = Seen()
                func drain() async throws -> Int {
                    try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "test") { _, batch in seen.append(batch) } }
                }
                _ = try await drain()
                try await client.withConnection { slow in
                    try await slow.query("BEGIN", logger: Self.logger)
                    let reserved = try await slow.query("SELECT nextval('consultations_id_seq')", logger: Self.logger)
                        .collect()[0].decode(Int64.self)
                    try await client.withConnection { try await Self.insert($0, serial: "FAST") }
                    _ = try await drain()
                    try await slow.query("""
                        INSERT INTO consultations (id, gtin, serial, country, served_language, verdict, channel)
                        VALUES (\(reserved), '03760123450003', 'SLOW', 'FR', 'fr', 'genuine_first', 'qr')
                        """, logger: Self.logger)
                    try await slow.query("COMMIT", logger: Self.logger)
                }
                try await Self.drain(stream, on: client, into: seen, until: 2)
                #expect(seen.all.sorted() == ["FAST", "SLOW"])
                #expect(try await drain() == 0)
            }
        }
    }

    @Test("a consumer that fails leaves its position: the same consultations come again, and its writes are gone")
    func failureRollsBack() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let stream = ConsultationStream(logger: Self.logger)
                try await client.query("CREATE TABLE handled (id bigint PRIMARY KEY)", logger: Self.logger)
                _ = try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "test") { _, _ in } }
                try await client.withConnection { try await Self.insert($0, serial: "A") }
                struct Refused: Error {}
                let attempts = Count()
                let deadline = ContinuousClock.now + .seconds(30)
                while attempts.value.load(ordering: .relaxed) == 0, ContinuousClock.now < deadline {
                    await #expect(throws: (any Error).self) {
                        try await client.withConnection { connection in
                            try await stream.handleNextBatch(on: connection, consumer: "test") { connection, batch in
                                for row in batch { try await connection.query("INSERT INTO handled VALUES (\(row.id))", logger: Self.logger) }
                                attempts.value.add(1, ordering: .relaxed)
                                throw Refused()
                            }
                        }
                        // Nothing past the horizon yet: try again.
                        if attempts.value.load(ordering: .relaxed) == 0 { throw CancellationError() }
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(attempts.value.load(ordering: .relaxed) == 1)
                #expect(try await client.scalar("SELECT count(*) FROM handled", as: Int.self) == 0)
                let again = try await client.withConnection { connection in
                    try await stream.handleNextBatch(on: connection, consumer: "test") { connection, batch in
                        for row in batch { try await connection.query("INSERT INTO handled VALUES (\(row.id))", logger: Self.logger) }
                    }
                }
                #expect(again == 1)
                #expect(try await client.scalar("SELECT count(*) FROM handled", as: Int.self) == 1)
            }
        }
    }

    @Test("two instances of one consumer, while scans keep arriving, handle each of 10,000 consultations exactly once")
    func twoInstances() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE handled (id bigint PRIMARY KEY, instance int NOT NULL)", logger: Self.logger)
                let stream = ConsultationStream(logger: Self.logger)
                _ = try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "twins") { _, _ in } }
                let total = 10_000
                let written = Count()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Four writers, 100 rows per transaction, committing in whatever order they finish.
                    for writer in 0..<4 {
                        group.addTask {
                            for chunk in 0..<(total / 4 / 100) {
                                try await client.query("""
                                    INSERT INTO consultations (gtin, serial, country, served_language, verdict, channel)
                                    SELECT '03760123450003', \("W\(writer)C\(chunk)") || '-' || n, 'FR', 'fr', 'genuine_seen', 'qr'
                                    FROM generate_series(1, 100) AS n
                                    """, logger: Self.logger)
                                written.value.add(100, ordering: .relaxed)
                            }
                        }
                    }
                    for instance in 0..<2 {
                        group.addTask {
                            let deadline = ContinuousClock.now + .seconds(120)
                            while ContinuousClock.now < deadline {
                                let handled = try await client.withConnection { connection in
                                    try await stream.handleNextBatch(on: connection, consumer: "twins", limit: 250) { connection, batch in
                                        // One row per consultation: a second handling would break the primary key.
                                        try await connection.query(
                                            "INSERT INTO handled SELECT unnest(\(batch.map(\.id))::bigint[]), \(instance)", logger: Self.logger)
                                    }
                                }
                                if handled == 0 {
                                    if written.value.load(ordering: .relaxed) == total,
                                       try await client.scalar("SELECT count(*) FROM handled", as: Int.self) == total { return }
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await client.scalar("SELECT count(*) FROM handled", as: Int.self) == total)
                #expect(try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "twins") { _, _ in } } == 0)
            }
        }
    }

    @Test("the consumer service hands what arrives to its handler, and stops when cancelled")
    func consumerService() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let stream = ConsultationStream(logger: Self.logger)
                _ = try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "feed") { _, _ in } }
                let seen = Seen()
                let consumer = ConsultationStreamConsumer(
                    name: "feed", stream: stream, connection: try DatabaseURL.connectionConfiguration(from: database.url),
                    pollInterval: .milliseconds(20), batchSize: 100, logger: Self.logger
                ) { _, batch in seen.append(batch) }
                let running = Task { try await consumer.run() }
                try await client.withConnection { connection in
                    for serial in ["S1", "S2", "S3"] { try await Self.insert(connection, serial: serial) }
                }
                let deadline = ContinuousClock.now + .seconds(30)
                while seen.all.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                // Operators (and scripts/bench) find the consumer's backend by its name.
                let named = try await client.scalar(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'signet consumer feed' AND datname = current_database()", as: Int.self)
                running.cancel()
                try await running.value
                #expect(seen.all == ["S1", "S2", "S3"])
                #expect(named == 1)
            }
        }
    }

    @Test("a batch under way when shutdown begins is finished and committed with its position: handled once, nothing left")
    func shutdownFinishesBatch() async throws {
        try await withTestDatabase { database in
            try await database.withClient { client in
                let stream = ConsultationStream(logger: Self.logger)
                _ = try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "feed") { _, _ in } }
                try await client.query("CREATE TABLE handled (consultation_id bigint PRIMARY KEY)", logger: Self.logger)
                let started = Seen()
                let consumer = ConsultationStreamConsumer(
                    name: "feed", stream: stream, connection: try DatabaseURL.connectionConfiguration(from: database.url),
                    pollInterval: .milliseconds(20), batchSize: 100, logger: Self.logger
                ) { connection, batch in
                    started.append(batch)
                    // Shutdown arrives during this second; a cancelled batch would stop here and roll back.
                    try await Task.sleep(for: .seconds(1))
                    try await connection.query("INSERT INTO handled SELECT unnest(\(batch.map(\.id))::bigint[])", logger: Self.logger)
                }
                // One transaction, so one batch holds both.
                try await client.query("""
                    INSERT INTO consultations (gtin, serial, country, served_language, verdict, channel)
                    VALUES ('03760123450003', 'S1', 'FR', 'fr', 'genuine_first', 'qr'), ('03760123450003', 'S2', 'FR', 'fr', 'genuine_first', 'qr')
                    """, logger: Self.logger)
                let services = ServiceGroup(configuration: .init(services: [consumer], logger: Self.logger))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await services.run() }
                    let deadline = ContinuousClock.now + .seconds(90)
                    while started.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                    await services.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
                #expect(started.all == ["S1", "S2"])
                #expect(try await client.scalar("SELECT count(*) FROM handled", as: Int.self) == 2)
                #expect(try await client.withConnection { try await stream.handleNextBatch(on: $0, consumer: "feed") { _, _ in } } == 0)
            }
        }
    }
}

/// Sends a range of generated requests, several at once, and tallies what came back.
public struct FuzzRun: Sendable {
    public struct Report: Sendable {
        public var sent = 0
        /// Requests by status class ("2xx" … "5xx"), and "closed" and "timeout".
        public var outcomes: [String: Int] = [:]
        /// Every request answered 5xx or not at all within the deadline, with what it carried.
        public var failures: [(index: Int, outcome: HostileOutcome, label: String)] = []

        public var serverErrors: Int { outcomes["5xx", default: 0] }
        public var timeouts: Int { outcomes["timeout", default: 0] }
    }

    public let generator: HostileRequestGenerator
    public let client: HostileClient
    public let concurrency: Int

    public init(generator: HostileRequestGenerator, client: HostileClient, concurrency: Int = 8) {
        self.generator = generator
        self.client = client
        self.concurrency = max(1, concurrency)
    }

    public func run(_ indices: Range<Int>, progress: (@Sendable (Int) -> Void)? = nil) async -> Report {
        var report = Report()
        await withTaskGroup(of: (Int, HostileOutcome, String).self) { group in
            var next = indices.lowerBound
            func start() {
                guard next < indices.upperBound else { return }
                let request = generator.request(next)
                next += 1
                group.addTask { (request.index, await client.send(request), request.label) }
            }
            for _ in 0..<concurrency { start() }
            while let (index, outcome, label) = await group.next() {
                report.sent += 1
                let key: String
                switch outcome {
                case .status(let code): key = "\(code / 100)xx"
                case .closedWithoutAnswer: key = "closed"
                case .timedOut: key = "timeout"
                }
                report.outcomes[key, default: 0] += 1
                if key == "5xx" || key == "timeout" { report.failures.append((index, outcome, label)) }
                progress?(report.sent)
                start()
            }
        }
        report.failures.sort { $0.index < $1.index }
        return report
    }
}

/// One malformed HTTP/1.1 request, as the bytes sent on the wire.
public struct HostileRequest: Sendable {
    /// Its position in the run: with the run's seed, enough to make it again.
    public var index: Int
    /// What kind of damage it carries and where it is aimed, for the report.
    public var label: String
    public var bytes: [UInt8]

    public init(index: Int, label: String, bytes: [UInt8]) {
        self.index = index
        self.label = label
        self.bytes = bytes
    }
}

/// What the server did with one request.
public enum HostileOutcome: Sendable, Equatable {
    /// The status line's code.
    case status(Int)
    /// The connection closed before a status line came (a parser refusing the
    /// head may do that).
    case closedWithoutAnswer
    /// Nothing came back within the client's deadline.
    case timedOut
}

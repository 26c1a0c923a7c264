import PostgresNIO

extension PSQLError {
    /// The constraint or index a unique violation (SQLSTATE 23505) hit; nil for any other error.
    var violatedUniqueConstraint: String? {
        guard code == .server, serverInfo?[.sqlState] == "23505" else { return nil }
        return serverInfo?[.constraintName]
    }
}

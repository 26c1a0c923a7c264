extension StringProtocol {
    /// The text without leading and trailing whitespace, newlines included.
    func trimmingWhitespace() -> String {
        String(self.drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}

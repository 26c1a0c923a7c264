import Hummingbird

extension Request {
    /// The query's parameters, the first value of each name: what a filter
    /// form in the portal reads.
    var firstQueryValues: [String: String] {
        var values: [String: String] = [:]
        for (key, value) in uri.queryParameters where values[String(key)] == nil {
            values[String(key)] = String(value)
        }
        return values
    }
}

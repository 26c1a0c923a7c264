import SignetCore
import Synchronization

/// The product part of scan and product pages (texts, safety data, lot),
/// rendered once per product, lot, language and catalogue version and reused:
/// only the verdict, the counts and the dates are rendered for each scan.
///
/// Fragments of an older catalogue version are dropped as soon as a newer one
/// is asked for; the number kept is bounded, so a crawl through every product
/// and lot cannot grow memory without end.
final class ProductFragments: Sendable {
    struct Key: Hashable, Sendable {
        var productID: Int64
        var lotID: Int64?
        var language: Language
    }

    /// About 3 KB each: at most about 30 MB.
    static let capacity = 10_000

    private let state = Mutex<(version: UInt64, html: [Key: String])>((0, [:]))

    func html(for key: Key, version: UInt64, render: () -> String) -> String {
        if let cached = state.withLock({ $0.version == version ? $0.html[key] : nil }) { return cached }
        let html = render()
        state.withLock { state in
            if state.version != version {
                // A scan that took the catalogue before a change must not reset what newer scans rendered.
                guard version > state.version else { return }
                state = (version, [:])
            }
            if state.html.count >= Self.capacity { state.html.removeAll(keepingCapacity: true) }
            state.html[key] = html
        }
        return html
    }

    var count: Int { state.withLock { $0.html.count } }
}

import SignetCore
import Synchronization

/// Pieces of pages rendered once per key and catalogue version, then reused:
/// product articles (`ProductFragmentKey`) and whole scan pages with holes
/// for the values of one scan (`ScanPageSkeleton.Key`).
///
/// Everything rendered from an older catalogue version is dropped as soon as
/// a newer one is asked for, and the number kept is bounded, so a crawl
/// through every product and lot cannot grow memory without end.
final class RenderCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private let state = Mutex<(version: UInt64, values: [Key: Value])>((0, [:]))

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(for key: Key, version: UInt64, render: () -> Value) -> Value {
        if let cached = state.withLock({ $0.version == version ? $0.values[key] : nil }) { return cached }
        let value = render()
        state.withLock { state in
            if state.version != version {
                // A scan that took the catalogue before a change must not discard what newer scans rendered.
                guard version > state.version else { return }
                state = (version, [:])
            }
            if state.values.count >= capacity { state.values.removeAll(keepingCapacity: true) }
            state.values[key] = value
        }
        return value
    }

    var count: Int { state.withLock { $0.values.count } }
}

/// A product article: one product, lot and language.
struct ProductFragmentKey: Hashable, Sendable {
    var productID: Int64
    var lotID: Int64?
    var language: Language
}

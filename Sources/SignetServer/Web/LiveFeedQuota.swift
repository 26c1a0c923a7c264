import Synchronization

/// How many live feeds (the alert inbox's and the dashboard's Server-Sent
/// Events) one brand may hold open on this instance. Each open feed holds a
/// task and polls the database; a script opening thousands under one session
/// would otherwise hold them all. Past the quota a new feed is answered 429
/// with `Retry-After`, and the browser's `EventSource` tries again later.
final class LiveFeedQuota: Sendable {
    let perBrand: Int
    private let open = Mutex<[Int64: Int]>([:])

    init(perBrand: Int) {
        self.perBrand = perBrand
    }

    /// A place for one more feed of the brand, given back when the slot is
    /// released (by the response body that holds it, when it is done or dropped).
    func acquire(brandID: Int64) throws(RateLimited) -> Slot {
        let granted = open.withLock { open in
            guard open[brandID, default: 0] < perBrand else { return false }
            open[brandID, default: 0] += 1
            return true
        }
        guard granted else { throw RateLimited(retryAfterSeconds: 30) }
        return Slot(quota: self, brandID: brandID)
    }

    func openFeeds(brandID: Int64) -> Int {
        open.withLock { $0[brandID, default: 0] }
    }

    fileprivate func release(brandID: Int64) {
        open.withLock { open in
            open[brandID, default: 1] -= 1
            if open[brandID] == 0 { open[brandID] = nil }
        }
    }

    /// Released when the last reference goes: a body that never ran gives its place back too.
    final class Slot: Sendable {
        private let quota: LiveFeedQuota
        private let brandID: Int64

        fileprivate init(quota: LiveFeedQuota, brandID: Int64) {
            self.quota = quota
            self.brandID = brandID
        }

        deinit {
            quota.release(brandID: brandID)
        }

        /// Keeps the slot alive until here.
        func hold() {}
    }
}

import Foundation

/// Makes malformed requests against every route the server answers: random
/// bytes in Digital Link paths, over-long paths and headers, broken
/// percent-encoding, invalid UTF-8, huge or malformed `Accept-Language`,
/// `X-Forwarded-For` garbage, bodies that are not what the route expects,
/// deep and huge JSON, wrong content types, multipart edge cases.
///
/// Request `i` of a run depends only on the seed and `i`, so one failure is
/// replayed alone (`signet fuzz --seed S --only I`).
public struct HostileRequestGenerator: Sendable {
    public struct Route: Sendable {
        public var method: String
        /// Segments of the path pattern; `{name}`, `:name`, `*` and `**` are filled in.
        public var segments: [String]

        /// "GET /api/v1/products/{gtin}" as `signet routes` prints it.
        public init?(_ line: String) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1].hasPrefix("/") else { return nil }
            method = String(parts[0])
            segments = parts[1].split(separator: "/").map(String.init)
        }
    }

    /// Credentials that let requests reach past authentication.
    public struct Credentials: Sendable {
        public var apiKey: String?
        /// A whole `Cookie` value (a portal session).
        public var portalCookie: String?
        public var csrfToken: String?

        public init(apiKey: String? = nil, portalCookie: String? = nil, csrfToken: String? = nil) {
            self.apiKey = apiKey
            self.portalCookie = portalCookie
            self.csrfToken = csrfToken
        }
    }

    public let routes: [Route]
    public let seed: UInt64
    public let host: String
    public let credentials: Credentials
    /// A real seal's scan path, mutated into near-misses.
    public let scanPath: String?

    public init(routes: [Route], seed: UInt64, host: String, credentials: Credentials = .init(), scanPath: String? = nil) {
        // Signing out would leave the rest of the run outside the portal.
        self.routes = routes.filter { !$0.segments.contains("sign-out") }
        precondition(!self.routes.isEmpty, "no routes to aim at")
        self.seed = seed
        self.host = host
        self.credentials = credentials
        self.scanPath = scanPath
    }

    public func request(_ index: Int) -> HostileRequest {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let route = routes[random.below(routes.count)]
        var method = route.method
        var path = fill(route, &random)
        var label = "\(route.method) /\(route.segments.joined(separator: "/"))"
        var headers: [(String, [UInt8])] = [("Host", Array(host.utf8))]
        var body: [UInt8] = []
        if let scanPath, random.below(6) == 0 {
            path = Array(scanPath.utf8)
            label = "scan path"
            method = "GET"
        }

        // Authentication most of the time, so the damage reaches the handlers.
        if route.segments.first == "api", let key = credentials.apiKey, random.below(5) != 0 {
            headers.append(("Authorization", Array("Bearer \(key)".utf8)))
        }
        if route.segments.first == "portal", let cookie = credentials.portalCookie, random.below(5) != 0 {
            headers.append(("Cookie", Array(cookie.utf8)))
            if let csrf = credentials.csrfToken { headers.append(("X-CSRF-Token", Array(csrf.utf8))) }
        }

        let damage = random.below(9)
        switch damage {
        case 0:
            path += Self.percentGarbage(&random)
            label += " · broken percent-encoding"
        case 1:
            path = Array("/".utf8) + Self.rawBytes(&random, count: 1 + random.below(64), printable: false)
            label += " · raw bytes in the path"
        case 2:
            path += Array("/".utf8) + Array(repeating: UInt8(ascii: "a"), count: 2_000 + random.below(40_000))
            label += " · over-long path"
        case 3:
            headers.append(("Accept-Language", Self.acceptLanguageGarbage(&random)))
            label += " · Accept-Language"
        case 4:
            headers.append(("X-Forwarded-For", Self.forwardedGarbage(&random)))
            label += " · X-Forwarded-For"
        case 5:
            let name = ["Cookie", "Accept", "User-Agent", "Content-Type", "If-None-Match", "Range", "Authorization", "X-CSRF-Token"][random.below(8)]
            headers.append((name, Self.rawBytes(&random, count: 1 + random.below(random.below(4) == 0 ? 40_000 : 300), printable: random.below(2) == 0)))
            label += " · \(name) garbage"
        case 6:
            path += Array("?".utf8) + Self.queryGarbage(&random)
            label += " · query"
        default:
            break
        }
        if damage >= 7 || ["POST", "PUT", "PATCH", "DELETE"].contains(method) && random.below(2) == 0 {
            let (type, bytes, kind) = Self.bodyGarbage(&random)
            if let type { headers.append(("Content-Type", Array(type.utf8))) }
            body = bytes
            label += " · body \(kind)"
            if damage == 8 { method = ["POST", "PUT", "PATCH", "DELETE"][random.below(4)] }
        }
        if random.below(40) == 0 {
            method = ["FOO", "get", "PROPFIND", "CONNECT", "TRACE", "G\u{1}T"][random.below(6)]
            label += " · method \(method)"
        }
        headers.append(("Content-Length", Array(String(body.count).utf8)))
        headers.append(("Connection", Array("close".utf8)))

        var bytes = Array(method.utf8) + [UInt8(ascii: " ")] + path + Array(" HTTP/1.1\r\n".utf8)
        for (name, value) in headers {
            bytes += Array(name.utf8) + Array(": ".utf8) + value.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 } + [13, 10]
        }
        bytes += [13, 10] + body
        return HostileRequest(index: index, label: label, bytes: bytes)
    }

    private func fill(_ route: Route, _ random: inout SplitMix64) -> [UInt8] {
        var path: [UInt8] = []
        for segment in route.segments {
            path.append(UInt8(ascii: "/"))
            if segment.hasPrefix("{") || segment.hasPrefix(":") || segment.hasPrefix("*") {
                path += Self.parameterValue(for: segment, &random)
            } else {
                path += Array(segment.utf8)
            }
        }
        return path.isEmpty ? [UInt8(ascii: "/")] : path
    }

    /// Plausible values half the time, so handlers past the router see damage too.
    static func parameterValue(for name: String, _ random: inout SplitMix64) -> [UInt8] {
        let plausible: [String] = [
            "03760123450003", "3760123450003", "1", "0", "-1", "9223372036854775808", "H00001", "demo", "en",
            "00000000-0000-0000-0000-000000000000", "01/03760123450003/21/H00001", "..", "%2e%2e", "%00",
            "' OR '1'='1", "<script>alert(1)</script>", "🙂", String(repeating: "9", count: 400),
        ]
        if random.below(2) == 0 { return Array(plausible[random.below(plausible.count)].utf8) }
        return percentEncode(rawBytes(&random, count: 1 + random.below(48), printable: false))
    }

    static func rawBytes(_ random: inout SplitMix64, count: Int, printable: Bool) -> [UInt8] {
        (0..<count).map { _ in
            printable ? UInt8(32 + random.below(95)) : UInt8(truncatingIfNeeded: random.next())
        }.map { $0 == UInt8(ascii: " ") || $0 == 13 || $0 == 10 ? UInt8(ascii: "x") : $0 }
    }

    static func percentEncode(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
        return out
    }

    static func percentGarbage(_ random: inout SplitMix64) -> [UInt8] {
        let pieces = ["%", "%G1", "%e9", "%C0%AF", "%FF%FE", "%00", "%2F..%2F", "%%", "%E2%82", "%ED%A0%80", "%F4%90%80%80", "/%25%32%66"]
        return Array((0..<(1 + random.below(4))).map { _ in pieces[random.below(pieces.count)] }.joined().utf8)
    }

    static func acceptLanguageGarbage(_ random: inout SplitMix64) -> [UInt8] {
        switch random.below(5) {
        case 0: return Array((0..<(500 + random.below(4_000))).map { "x\($0);q=0.\($0 % 10)" }.joined(separator: ",").prefix(30_000).utf8)
        case 1: return Array("fr;q=abc, de;q=2, ;;;, *;q=-1, en-;q=, es;q=0.5;q=0.7, ,,,".utf8)
        case 2: return rawBytes(&random, count: 1 + random.below(2_000), printable: false)
        case 3: return Array(String(repeating: "de-DE-x-", count: 2_000).utf8)
        default: return Array("\u{1F600};q=1, zh-Hant-TW-u-nu-hanidec;q=0.999999999999, i-klingon".utf8)
        }
    }

    static func forwardedGarbage(_ random: inout SplitMix64) -> [UInt8] {
        let pieces = ["1.2.3.4", "::ffff:zzz", "", " ", "999.999.999.999", "unknown", "[::1]:80", "2001:db8::1%eth0",
                      "1.2.3.4:99999", "-", "0.0.0.0", "fe80::1", "; DROP TABLE consultations; --"]
        let count = random.below(4) == 0 ? 2_000 : 1 + random.below(8)
        return Array((0..<count).map { _ in pieces[random.below(pieces.count)] }.joined(separator: ",").prefix(30_000).utf8)
    }

    static func queryGarbage(_ random: inout SplitMix64) -> [UInt8] {
        switch random.below(5) {
        case 0: return Array((0..<(1 + random.below(300))).map { "t=\($0)" }.joined(separator: "&").utf8)
        case 1: return Array("linkType=gs1:pip&linkType=all&context=%ZZ&lang=%00&t=&&&=&a==b".utf8)
        case 2: return percentEncode(rawBytes(&random, count: 1 + random.below(500), printable: false))
        case 3: return Array("from=9999-99-99&to=x&interval=century&group_by=country,country,nope&tz=Mars/Olympus&page=-1&limit=99999999999999999999".utf8)
        default: return Array("q=\(String(repeating: "%", count: 1 + random.below(30)))&lang=xx-\(String(repeating: "Y", count: 3_000))".utf8)
        }
    }

    static func bodyGarbage(_ random: inout SplitMix64) -> (contentType: String?, bytes: [UInt8], kind: String) {
        switch random.below(10) {
        case 0:
            return ("application/json", rawBytes(&random, count: random.below(5_000), printable: false), "random bytes as JSON")
        case 1:
            let depth = 1_000 + random.below(100_000)
            return ("application/json", Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth), "deep JSON")
        case 2:
            let count = 50_000 + random.below(300_000)
            return ("application/json", Array(("[" + Array(repeating: "{\"a\":\"bbbbbbbbbb\"}", count: count).joined(separator: ",") + "]").utf8), "huge JSON")
        case 3:
            let values = ["123", "null", "true", "[]", "{}", "\"\"", "-1e309", "\"\\ud800\"", "\"<img src=x onerror=alert(1)>\"", "\"' OR 1=1 --\""]
            let keys = ["name", "gtin", "serial", "email", "url", "language", "points", "quantity", "type", "events", "@context", "role", "scopes"]
            let fields = (0..<(1 + random.below(8))).map { _ in "\"\(keys[random.below(keys.count)])\":\(values[random.below(values.count)])" }
            return ("application/json", Array(("{" + fields.joined(separator: ",") + "}").utf8), "wrong JSON types")
        case 4:
            return ("application/x-www-form-urlencoded", Array("a=%ZZ&&=&b&csrf=%00&name=\(String(repeating: "x", count: random.below(20_000)))&email=@@".utf8), "broken form")
        case 5:
            return ("multipart/form-data", Array("--x\r\n\r\nhello\r\n--x--\r\n".utf8), "multipart without boundary")
        case 6:
            return ("multipart/form-data; boundary=abc", Array("--xyz\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"../../etc/passwd\u{0}.png\"\r\n\r\n\u{89}PNG".utf8), "multipart with another boundary, unterminated")
        case 7:
            let header = String(repeating: "X-A: b\r\n", count: 5_000)
            return ("multipart/form-data; boundary=b", Array("--b\r\n\(header)Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\u{FF}\u{D8}\u{FF}\r\n--b--\r\n".utf8), "multipart with a huge part head")
        case 8:
            let parts = (0..<(100 + random.below(2_000))).map { "--b\r\nContent-Disposition: form-data; name=\"f\($0)\"\r\n\r\nv\r\n" }.joined()
            return ("multipart/form-data; boundary=b", Array((parts + "--b--\r\n").utf8), "multipart with many parts")
        default:
            let types = ["text/plain", "application/xml", "image/png", "application/json; charset=ebcdic", "*/*", "multipart/mixed; boundary=", ""]
            return (types[random.below(types.count)], rawBytes(&random, count: random.below(3_000), printable: true), "wrong content type")
        }
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64):
/// the same seed gives the same requests on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}

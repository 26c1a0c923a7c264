import Foundation
import NIOCore
import SignetCore

/// An answer of `GET /api/v1/stats` as JSON, in the order of openapi.yaml's
/// `Statistics` and `StatisticsRow` schemas (a row names the dimensions
/// asked in the schema's order), written straight into bytes: a year by day
/// and country is ten thousand rows, which JSONEncoder took longer to write
/// than the database took to sum.
enum StatisticsJSON {
    static func body(_ rows: [StatisticsStore.Row], question: StatisticsQuery, bucketFormat: StatisticsBucketFormat) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(256 + rows.count * (64 + 24 * question.groupBy.count))
        let instant = ISO8601DateFormatter()
        out.writeStaticString("{\"from\":")
        write(instant.string(from: question.from), to: &out)
        out.writeStaticString(",\"to\":")
        write(instant.string(from: question.to), to: &out)
        out.writeStaticString(",\"interval\":")
        write(question.interval.rawValue, to: &out)
        out.writeStaticString(",\"tz\":")
        write(question.timeZone, to: &out)
        out.writeStaticString(",\"group_by\":[")
        for (index, dimension) in question.groupBy.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            write(dimension.rawValue, to: &out)
        }
        out.writeStaticString("],\"rows\":[")
        // Each bucket and each value is escaped once: an answer repeats a few dozen of them.
        var buckets: [Date: [UInt8]] = [:]
        for (bucket, text) in bucketFormat.strings(rows.map(\.bucket)) { buckets[bucket] = escaped(text) }
        let schemaOrder = StatisticsQuery.Dimension.allCases.compactMap { dimension in
            question.groupBy.firstIndex(of: dimension).map { (key: Array("\"\(dimension.rawValue)\":".utf8), index: $0) }
        }
        var values: [String: [UInt8]] = [:]
        for (index, row) in rows.enumerated() {
            out.writeStaticString(index == 0 ? "{\"bucket\":" : ",{\"bucket\":")
            out.writeBytes(buckets[row.bucket]!)
            for dimension in schemaOrder {
                out.writeStaticString(",")
                out.writeBytes(dimension.key)
                let value = row.groups[dimension.index]
                if let known = values[value] {
                    out.writeBytes(known)
                } else {
                    let text = escaped(value)
                    values[value] = text
                    out.writeBytes(text)
                }
            }
            out.writeStaticString(",\"consultations\":")
            out.writeString(String(row.consultations))
            out.writeStaticString(",\"unique_seals\":")
            out.writeString(String(row.uniqueSeals))
            out.writeStaticString("}")
        }
        out.writeStaticString("]}")
        return out
    }

    private static func write(_ string: String, to out: inout ByteBuffer) {
        out.writeBytes(escaped(string))
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as UTF-8.
    static func escaped(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes += [UInt8(ascii: "\\"), byte]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        return bytes
    }
}

import Foundation

/// Any JSON value, kept as data. EPCIS events carry more than Signet reads
/// (sensor reports, ILMD, namespaced extensions), and the standard asks a
/// repository to answer queries with all of it, so events are stored whole.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// How deeply arrays and objects may nest. Real EPCIS documents stay
    /// within about ten levels; the bound keeps hostile input from exhausting
    /// the stack of a decoder, or of anything that walks the value afterwards.
    public static let maximumDepth = 64

    /// Reads one JSON text (UTF-8).
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let data = Data(bytes)
        if let problem = structuralProblem(in: data) { throw problem }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(Self.reason(error))
        } catch {
            throw .malformed(String(describing: error))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let bool = try? container.decode(Bool.self) {
            // Before Double, so that true stays a boolean on every Foundation.
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            // The text parsed, so what is left is a value JSONDecoder could not represent.
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a number beyond the range of a Double, or a string that is not valid Unicode")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// "a string", "an array": for messages that say what was sent instead.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// What a scan of the text, without parsing it, finds that JSONDecoder
    /// would not refuse: nesting deeper than `maximumDepth` (JSONDecoder recurses
    /// once per level), and a comma before `]` or `}`, which it lets through.
    /// Brackets and commas inside strings do not count.
    static func structuralProblem(in bytes: some Collection<UInt8>) -> JSONParseError? {
        var depth = 0
        var inString = false
        var escaped = false
        var previous: UInt8 = 0
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return .nestedTooDeeply(limit: maximumDepth) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if previous == UInt8(ascii: ",") { return .malformed("a comma before a closing bracket") }
                depth -= 1
            default:
                break
            }
            previous = byte
        }
        return nil
    }

    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            context.debugDescription
        @unknown default:
            String(describing: error)
        }
    }
}

/// Why bytes could not be read as JSON.
public enum JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case nestedTooDeeply(limit: Int)

    public var description: String {
        switch self {
        case .malformed(let reason): "not valid JSON: \(reason)"
        case .nestedTooDeeply(let limit): "arrays and objects nest more than \(limit) deep"
        }
    }
}

/// Why a URI could not be compressed or decompressed. Every malformed input ends here, never in a crash.
public enum DigitalLinkCompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyInput
    /// No `/{primary key AI}/{value}` path to compress.
    case notADigitalLink
    /// No compressed path segment: the URI is uncompressed or not a Digital Link at all.
    case notCompressed
    /// The path after the primary key names an AI that is not one of its key qualifiers, or names them out of order.
    case qualifierNotAllowed(primaryKey: String, qualifier: String)
    case invalidPercentEncoding(String)
    case unknownApplicationIdentifier(String)
    case duplicateApplicationIdentifier(String)
    case missingPrimaryKey
    /// The value does not fit the AI's format (length, digits, character set).
    case invalidValue(applicationIdentifier: String, value: String)
    case invalidCheckDigit(applicationIdentifier: String, value: String)
    /// Longer than the binary length field can say (AI 8007 beyond 31, other query values beyond 127).
    case valueTooLongToCompress(key: String)
    /// A query parameter key that the binary form cannot carry: empty, over 127 characters, or outside base64url.
    case invalidParameterKey(String)
    /// A query parameter value that the binary form cannot carry: beyond 7-bit ASCII.
    case invalidParameterValue(key: String)
    /// The compressed data ends in the middle of a value.
    case truncatedData
    /// A binary AI key or optimisation code the standard leaves unassigned (hex digits as read).
    case undefinedCode(String)
    /// An alphanumeric value's 3-bit encoding indicator is 5, 6 or 7.
    case invalidEncodingIndicator(Int)
    /// A binary number with more decimal digits than its length says.
    case numberTooLarge(digits: Int)

    public var description: String {
        switch self {
        case .emptyInput: "empty input"
        case .notADigitalLink: "not a GS1 Digital Link: no /{primary key AI}/{value} path"
        case .notCompressed: "not a compressed GS1 Digital Link"
        case .qualifierNotAllowed(let primaryKey, let qualifier):
            "AI \(qualifier) is not a key qualifier of AI \(primaryKey) at this place in the path"
        case .invalidPercentEncoding(let text): "invalid percent-encoding in \"\(text)\""
        case .unknownApplicationIdentifier(let code): "unknown GS1 Application Identifier \(code)"
        case .duplicateApplicationIdentifier(let code): "AI \(code) appears more than once"
        case .missingPrimaryKey: "no primary key AI"
        case .invalidValue(let code, let value): "invalid value for AI \(code): \"\(value)\""
        case .invalidCheckDigit(let code, let value): "wrong check digit for AI \(code): \(value)"
        case .valueTooLongToCompress(let key): "the value of \(key) is too long to compress"
        case .invalidParameterKey(let key): "query parameter key \"\(key)\" cannot be compressed"
        case .invalidParameterValue(let key): "the value of query parameter \(key) is not 7-bit ASCII"
        case .truncatedData: "compressed data ends in the middle of a value"
        case .undefinedCode(let code): "unassigned code \(code) in compressed data"
        case .invalidEncodingIndicator(let indicator): "invalid encoding indicator \(indicator) in compressed data"
        case .numberTooLarge(let digits): "compressed number does not fit in \(digits) digits"
        }
    }
}

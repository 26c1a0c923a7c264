import Foundation
import Hummingbird
import MultipartKit
import NIOHTTP1

/// A portal form sent as `multipart/form-data` (a file input): its text
/// fields and its files. Read once and kept on the request, like `PortalForm`.
struct PortalUpload {
    struct File {
        var filename: String
        /// As the browser declared it; never trusted for what the bytes are.
        var declaredType: String?
        var bytes: ByteBuffer
    }

    var fields: [String: String]
    var files: [String: File]

    /// The largest upload any portal form takes: a packaging line's list of a
    /// million serials fits; routes check their own smaller limits.
    static let maximumBytes = 32 * 1024 * 1024

    static func isMultipart(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
    }

    /// - Parameter limit: the largest body the route takes (a larger one is a 413).
    static func read(_ request: inout Request, upTo limit: Int = maximumBytes) async throws -> PortalUpload {
        guard let boundary = boundary(request.headers[.contentType] ?? "") else { throw PublicError.badRequest }
        let body = try await request.collectBody(upTo: limit)
        var parts: [MultipartPart] = []
        let parser = MultipartParser(boundary: boundary)
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        parser.onHeader = { name, value in headers.replaceOrAdd(name: name, value: value) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            throw PublicError.badRequest
        }
        var upload = PortalUpload(fields: [:], files: [:])
        for part in parts {
            guard let name = part.name else { continue }
            let disposition = part.headers.first(name: "Content-Disposition") ?? ""
            if let filename = parameter("filename", in: disposition) {
                // A file input left empty still sends a part, without a name or bytes.
                guard !filename.isEmpty || part.body.readableBytes > 0 else { continue }
                upload.files[name] = File(filename: filename, declaredType: part.headers.first(name: "Content-Type"), bytes: part.body)
            } else {
                upload.fields[name] = String(buffer: part.body)
            }
        }
        return upload
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
              let value = parameter("boundary", in: contentType), !value.isEmpty, value.count <= 70
        else { return nil }
        return value
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

/// The image formats a product photo may have, told by the bytes themselves,
/// never by a file name or a declared type: PNG, JPEG or WebP. SVG and
/// anything else that could carry script is refused.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png
    case jpeg
    case webp

    public static let maximumBytes = 2 * 1024 * 1024

    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }

    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }

    public init?(mediaType: String) {
        guard let format = Self.allCases.first(where: { $0.mediaType == mediaType }) else { return nil }
        self = format
    }

    public init?(fileExtension: String) {
        guard let format = Self.allCases.first(where: { $0.fileExtension == fileExtension }) else { return nil }
        self = format
    }

    /// The format whose signature and first structure the bytes carry: PNG's
    /// 8-byte signature followed by its IHDR chunk; JPEG's start-of-image and a
    /// marker, ending with end-of-image; a RIFF container of type WEBP with a
    /// VP8, VP8L or VP8X chunk whose size fits the file.
    /// - Parameter limit: the largest file the caller takes (a JPEG is
    ///   recognised by its last bytes too).
    public init?(detecting bytes: some Collection<UInt8>, limit: Int = Self.maximumBytes) {
        let bytes = Array(bytes.prefix(limit + 1))
        func matches(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if matches([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && matches(Array("IHDR".utf8), at: 12) && bytes.count >= 33 {
            self = .png
        } else if matches([0xFF, 0xD8, 0xFF]) && bytes.count >= 4 && bytes[bytes.count - 2] == 0xFF && bytes[bytes.count - 1] == 0xD9 {
            self = .jpeg
        } else if matches(Array("RIFF".utf8)) && matches(Array("WEBP".utf8), at: 8)
                    && (matches(Array("VP8 ".utf8), at: 12) || matches(Array("VP8L".utf8), at: 12) || matches(Array("VP8X".utf8), at: 12)) {
            let declared = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            guard declared + 8 <= bytes.count + 1, declared >= 12 else { return nil }
            self = .webp
        } else {
            return nil
        }
    }
}

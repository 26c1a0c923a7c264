import Foundation
import SignetCore
import Testing

@Suite("Image formats told by content")
struct ImageFormatTests {
    /// A real 1 × 1 PNG.
    static let png = Array(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!)
    /// A JPEG's start-of-image, a JFIF segment, and end-of-image.
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9]
    /// A RIFF/WEBP container with a VP8L chunk, its size field right.
    static let webp: [UInt8] = {
        let chunk: [UInt8] = Array("VP8L".utf8) + [5, 0, 0, 0, 0x2F, 0, 0, 0, 0, 0]
        let body = Array("WEBP".utf8) + chunk
        let size = UInt32(body.count)
        return Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)] + body
    }()

    @Test("PNG, JPEG and WebP are recognised by their bytes")
    func recognised() {
        #expect(ImageFormat(detecting: Self.png) == .png)
        #expect(ImageFormat(detecting: Self.jpeg) == .jpeg)
        #expect(ImageFormat(detecting: Self.webp) == .webp)
    }

    @Test("SVG, HTML, truncated files and renamed text are refused", arguments: [
        Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8),
        Array("<!doctype html><img src=x onerror=alert(1)>".utf8),
        Array(png.prefix(20)),
        Array(jpeg.dropLast(2)),
        Array(webp.prefix(14)),
        Array("GIF89a".utf8) + [0, 0, 0, 0],
        [],
    ])
    func refused(bytes: [UInt8]) {
        #expect(ImageFormat(detecting: bytes) == nil)
    }

    @Test("media types and file extensions round-trip")
    func names() {
        for format in ImageFormat.allCases {
            #expect(ImageFormat(mediaType: format.mediaType) == format)
            #expect(ImageFormat(fileExtension: format.fileExtension) == format)
        }
        #expect(ImageFormat(mediaType: "image/svg+xml") == nil)
    }
}

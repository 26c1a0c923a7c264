import CQREncode

/// A QR code as inline SVG, drawn from libqrencode's module matrix: one path,
/// no script, no external image, so it passes the portal's strict CSP.
enum QRCodeSVG {
    /// nil when the text cannot be encoded (too long for any QR version).
    static func make(_ text: String, moduleSize: Int = 5, quietZone: Int = 4) -> String? {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let size = (width + 2 * quietZone) * moduleSize
        var path = ""
        for row in 0..<width {
            for column in 0..<width where code.pointee.data[row * width + column] & 1 == 1 {
                path += "M\((column + quietZone) * moduleSize) \((row + quietZone) * moduleSize)h\(moduleSize)v\(moduleSize)h-\(moduleSize)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size)" height="\(size)" \
            role="img" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}

import CQREncode

/// A QR code as inline SVG, drawn from libqrencode's module matrix: one path,
/// no script, no external image, so it passes the portal's strict CSP.
enum QRCodeSVG {
    /// nil when the text cannot be encoded (too long for any QR version).
    static func make(_ text: String, moduleSize: Int = 5, quietZone: Int = 4) -> String? {
        guard let (width, path) = modulePath(text, quietZone: quietZone) else { return nil }
        let size = (width + 2 * quietZone) * moduleSize
        let modules = width + 2 * quietZone
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(modules) \(modules)" width="\(size)" height="\(size)" \
            role="img" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    /// The dark modules as one SVG path in module units, offset by the quiet
    /// zone, and the code's width in modules; nil when the text does not fit.
    static func modulePath(_ text: String, quietZone: Int = 4) -> (width: Int, path: String)? {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        var path = ""
        for row in 0..<width {
            for column in 0..<width where code.pointee.data[row * width + column] & 1 == 1 {
                path += "M\(column + quietZone) \(row + quietZone)h1v1h-1z"
            }
        }
        return (width, path)
    }
}

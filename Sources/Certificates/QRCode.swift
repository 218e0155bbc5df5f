import CGraphics

/// A QR code as a square of dark and light modules, from libqrencode.
public struct QRCode: Sendable {
    /// Modules per side (without the quiet zone).
    public let size: Int
    /// Row-major: true for a dark module.
    public let modules: [Bool]

    /// Encodes text (a verification URL) at error-correction level M.
    public init?(_ text: String) {
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        var modules = [Bool](repeating: false, count: width * width)
        for index in 0..<(width * width) {
            // Bit 0 of each byte is the module's colour; the other bits describe its role.
            modules[index] = code.pointee.data[index] & 1 == 1
        }
        self.size = width
        self.modules = modules
    }

    /// Whether the module at a row and column is dark.
    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }
}

/// Lower-case hexadecimal text of bytes (digests, tokens), without Foundation's slow `String(format:)`. Inlinable, so a
/// caller in another module gets it specialised for its byte type: generic, every byte went through value witnesses
/// (the session check of every page spent most of its SHA-256's time here).
@inlinable
public func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

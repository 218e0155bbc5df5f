import Crypto
import Foundation
import TrainingCore

/// A signature over the certificate file's own bytes, as PDF signatures do it: the Keywords hold a fixed-length
/// placeholder (`obuka-pdf-signature:<key id>:` and 128 hex digits); the file is written, then the placeholder's digits
/// are replaced by an Ed25519 signature over every other byte of the file. Any change to the file (an overlay or
/// underlay, an added annotation or page, an incremental update appended after `%%EOF`) changes signed bytes, so a
/// reader holding only the public keys finds it altered. The signature is deterministic, so a reprint is the same file.
public enum PDFFileSignature {
    /// Marks the signature in the Keywords.
    public static let marker = "obuka-pdf-signature:"
    static let digits = 128

    /// What the Keywords carry before signing.
    public static func placeholder(keyID: String) -> String {
        marker + keyID + ":" + String(repeating: "0", count: digits)
    }

    /// The file with its placeholder filled by `key`'s signature over every other byte.
    public static func sign(_ pdf: Data, key: SigningKey) throws -> Data {
        guard let found = locate(in: pdf), found.keyID == key.keyID else {
            throw RenderingError(description: "the PDF has no signature placeholder for \(key.keyID)")
        }
        let signature = try key.privateKey.signature(for: signedBytes(pdf, excluding: found.digits))
        var signed = pdf
        signed.replaceSubrange(found.digits, with: Data(hexString(signature).utf8))
        return signed
    }

    /// What a file's own signature says.
    public enum Check: Equatable, Sendable {
        /// The file carries no file signature (a certificate printed before files were signed).
        case notSigned
        /// Every byte is as signed, by this key.
        case intact(keyID: String)
        /// Signed bytes were changed, added or removed, or the key is unknown.
        case altered
    }

    /// Checks a file's signature with the District's public keys (raw 32 bytes, by key id).
    public static func check(_ pdf: Data, publicKeys: [String: Data]) -> Check {
        guard pdf.range(of: Data(marker.utf8)) != nil else { return .notSigned }
        guard let found = locate(in: pdf), let raw = publicKeys[found.keyID],
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
              let signature = data(hex: pdf[found.digits]),
              key.isValidSignature(signature, for: signedBytes(pdf, excluding: found.digits)) else { return .altered }
        return .intact(keyID: found.keyID)
    }

    /// The one marker of the file, its key id and the range of its hex digits; nil when there are none or several.
    static func locate(in pdf: Data) -> (keyID: String, digits: Range<Data.Index>)? {
        let markerBytes = Data(marker.utf8)
        guard let first = pdf.range(of: markerBytes),
              pdf.range(of: markerBytes, in: first.upperBound..<pdf.endIndex) == nil else { return nil }
        guard let colon = pdf[first.upperBound...].prefix(40).firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let keyID = String(decoding: pdf[first.upperBound..<colon], as: UTF8.self)
        let start = pdf.index(after: colon)
        guard pdf.distance(from: start, to: pdf.endIndex) >= digits else { return nil }
        return (keyID, start..<pdf.index(start, offsetBy: digits))
    }

    static func signedBytes(_ pdf: Data, excluding range: Range<Data.Index>) -> Data {
        var bytes = Data(pdf[pdf.startIndex..<range.lowerBound])
        bytes.append(pdf[range.upperBound...])
        return bytes
    }

    static func data(hex: Data) -> Data? {
        var bytes = Data(capacity: hex.count / 2)
        var iterator = hex.makeIterator()
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = nibble(high), let l = nibble(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }
}

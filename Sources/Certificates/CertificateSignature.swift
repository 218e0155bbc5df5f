import Crypto
import Foundation
import TrainingCore

/// An Ed25519 signing key with its id.
public struct SigningKey: Sendable {
    /// Short id printed into every certificate it signs, e.g. `k-3f9a1c2e`.
    public let keyID: String
    /// The private key's 32 raw bytes (kept as `Data`, which is `Sendable`).
    private let rawKey: Data

    /// Wraps a private key; the id derives from the public key.
    public init(_ privateKey: Curve25519.Signing.PrivateKey) {
        self.rawKey = privateKey.rawRepresentation
        self.keyID = Self.keyID(for: privateKey.publicKey)
    }

    /// The private key.
    public var privateKey: Curve25519.Signing.PrivateKey {
        // The bytes came from a valid key, so this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    /// `k-` and the first 8 hex digits of the public key's SHA-256.
    public static func keyID(for publicKey: Curve25519.Signing.PublicKey) -> String {
        "k-" + hexString(SHA256.hash(data: publicKey.rawRepresentation).prefix(4))
    }

    /// The public key, base64.
    public var publicKeyBase64: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }
}

/// The signed token embedded in a certificate PDF: `base64url(payload JSON).base64url(signature)`.
public enum CertificateToken {
    /// Marks the token in the PDF's Keywords.
    public static let prefix = "obuka-certificate:"

    /// Signs a payload.
    public static func make(_ payload: CertificatePayload, key: SigningKey) throws -> String {
        let bytes = try encoder.encode(payload)
        let signature = try key.privateKey.signature(for: bytes)
        return base64URL(bytes) + "." + base64URL(signature)
    }

    /// Splits a token into its payload bytes and signature (nil when malformed).
    static func split(_ token: String) -> (payload: Data, signature: Data)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = data(base64URL: String(parts[0])),
              let signature = data(base64URL: String(parts[1])) else { return nil }
        return (payload, signature)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}

/// The outcome of checking a certificate.
public enum CertificateVerification: Equatable, Sendable {
    /// Signed by a known key, page matches, not expired, not revoked.
    case valid(CertificatePayload)
    /// Genuine but past its last valid day.
    case expired(CertificatePayload)
    /// Genuine but revoked.
    case revoked(CertificatePayload, on: String, reason: String)
    /// Not a genuine certificate, or altered.
    case forged(ForgeryReason)

    /// `valid`, `expired`, `revoked` or `forged`.
    public var code: String {
        switch self {
        case .valid: "valid"
        case .expired: "expired"
        case .revoked: "revoked"
        case .forged: "forged"
        }
    }
}

/// Why a certificate is judged forged.
public enum ForgeryReason: Equatable, Sendable {
    /// The PDF carries no obuka signature.
    case noSignature
    /// The signature token cannot be read.
    case malformedSignature
    /// Signed with a key the District never published.
    case unknownKey(String)
    /// The signature does not match the signed data (the data was changed).
    case badSignature
    /// The visible page says something else than the signed data (e.g. an edited name).
    case pageTextMismatch(field: String)
    /// The file's bytes are not those signed: something was laid over or under the page, added or appended.
    case fileAltered
    /// No certificate with this serial was issued.
    case notIssued(String)
}

/// Checks certificates offline with the District's public keys.
public struct CertificateVerifier: Sendable {
    /// Public keys (raw 32 bytes) by key id, retired ones included (old certificates stay verifiable).
    public var publicKeys: [String: Data]

    /// A verifier trusting these public keys.
    public init(publicKeys: [String: Data]) {
        self.publicKeys = publicKeys
    }

    /// Verifies a token; with `pageText`, also that the page shows what was signed.
    public func verify(token: String?, pageText: String?, today: LocalDate) -> CertificateVerification {
        guard let token else { return .forged(.noSignature) }
        guard let (bytes, signature) = CertificateToken.split(token),
              let payload = try? JSONDecoder().decode(CertificatePayload.self, from: bytes) else {
            return .forged(.malformedSignature)
        }
        guard let raw = publicKeys[payload.keyID], let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            return .forged(.unknownKey(payload.keyID))
        }
        guard key.isValidSignature(signature, for: bytes) else { return .forged(.badSignature) }
        if let pageText {
            // Compare without whitespace: a long name may wrap onto two lines.
            let page = Self.squeezed(pageText)
            for (field, value) in [("holder", payload.holder), ("serial", payload.serial), ("program_title", payload.programTitle)]
            where !page.contains(Self.squeezed(value)) {
                return .forged(.pageTextMismatch(field: field))
            }
        }
        if CertificateRules.isExpired(expires: payload.expires, today: today) { return .expired(payload) }
        return .valid(payload)
    }

    /// Text without whitespace or soft hyphens, for comparing wrapped page text with signed values.
    public static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && $0 != "\u{AD}" })
    }
}

/// Reads what a verifier needs from a certificate PDF.
public enum CertificatePDF {
    /// The signed token in the document's Keywords (cairo writes the Info dictionary uncompressed).
    public static func token(in pdf: Data) -> String? {
        guard let marker = pdf.range(of: Data("/Keywords (".utf8)) else { return nil }
        var bytes: [UInt8] = []
        var index = marker.upperBound
        while index < pdf.endIndex, pdf[index] != UInt8(ascii: ")"), bytes.count < 8192 {
            bytes.append(pdf[index])
            index += 1
        }
        let keywords = String(decoding: bytes, as: UTF8.self)
        guard let range = keywords.range(of: CertificateToken.prefix) else { return nil }
        return String(keywords[range.upperBound...].prefix { !$0.isWhitespace })
    }

    /// The visible text of a PDF, extracted by `pdftotext` (poppler-utils).
    public static func pageText(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", file.path, "-"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw RenderingError(description: "pdftotext could not read \(file.lastPathComponent)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Private signing keys in the data directory (`keys/<key id>.ed25519`, mode 0600), generated at first use.
public struct SigningKeyFiles: Sendable {
    public let folder: URL

    public init(dataDirectory: URL) {
        folder = dataDirectory.appendingPathComponent("keys", isDirectory: true)
    }

    /// Generates a new key and writes it (0600, in a 0700 folder).
    public func generate() throws -> SigningKey {
        let key = SigningKey(Curve25519.Signing.PrivateKey())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = folder.appendingPathComponent("\(key.keyID).ed25519")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(key.privateKey.rawRepresentation.base64EncodedString().utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw RenderingError(description: "cannot write \(url.path)")
        }
        return key
    }

    /// Reads the key with an id.
    public func load(_ keyID: String) throws -> SigningKey {
        let url = folder.appendingPathComponent("\(keyID).ed25519")
        guard let text = try? String(contentsOf: url, encoding: .utf8), let raw = Data(base64Encoded: text.trimmingWhitespace),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw), SigningKey(key).keyID == keyID else {
            throw RenderingError(description: "the signing key \(keyID) is missing or damaged in \(folder.path)")
        }
        return SigningKey(key)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import TrainingCore

/// The reverse proxies in front of the server (HTTPS needs one): only their `X-Forwarded-For` is believed. Without them
/// every client behind a proxy shares its address, so twenty failed sign-ins on made-up names lock everyone out.
public struct TrustedProxies: Sendable, Equatable {
    /// A network: its address bytes and how many leading bits must match.
    struct Network: Sendable, Equatable {
        let bytes: [UInt8]
        let prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            for bit in 0..<prefix where (address[bit / 8] ^ bytes[bit / 8]) & (0x80 >> UInt8(bit % 8)) != 0 { return false }
            return true
        }
    }

    let networks: [Network]

    /// No trusted proxy: the connecting address is the client's.
    public init() { networks = [] }

    /// Parses `OBUKA_TRUSTED_PROXIES`: addresses or networks (`10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`), separated by
    /// commas or spaces. Refuses what is not one, naming it.
    public init(_ text: String) throws(TrustedProxiesError) {
        var networks: [Network] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let parts = item.split(separator: "/", maxSplits: 1)
            guard let bytes = Self.bytes(String(parts[0])) else { throw .invalid(String(item)) }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...bytes.count * 8).contains(prefix) else { throw .invalid(String(item)) }
            networks.append(Network(bytes: bytes, prefix: prefix))
        }
        self.networks = networks
    }

    /// Whether `address` is a trusted proxy.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address: the connecting one, or when that is a trusted proxy, the nearest address in
    /// `X-Forwarded-For` (read from the right) that is not a trusted proxy itself.
    public func client(connectedFrom peer: String, forwardedFor header: [String]) -> String {
        guard contains(peer) else { return peer }
        let hops = header.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard Self.bytes(hop) != nil else { return peer }  // a garbled header is not believed
            if !contains(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// The bytes of an IPv4 or IPv6 address in text.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// Why `OBUKA_TRUSTED_PROXIES` was refused.
public enum TrustedProxiesError: UserFacingError, Equatable {
    case invalid(String)
    public var messageKey: String { "serve.error.trusted_proxies" }
    public var messageArguments: [String: String] {
        switch self { case .invalid(let item): ["value": item] }
    }
}

/// Sets the request's client address, for rate limits and logs, through `TrustedProxies`.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard !trusted.networks.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = trusted.client(connectedFrom: context.clientAddress,
                                               forwardedFor: request.headers[values: HTTPField.Name("X-Forwarded-For")!])
        return try await next(request, context)
    }
}

import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import TrainingWeb
#if canImport(Glibc)
import Glibc
#endif

/// A body is read only after the route is found and the request may use it, and no further than the route's limit: the
/// walk's multipart POST to /login with 183,333 tiny parts held every other request for 25 s while it was read and
/// parsed on the request path.
@Suite(.serialized) struct RequestBodyTests {
    /// A plain TCP connection, to send a body as slowly and as long as an attacker would.
    final class RawConnection {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        }

        deinit { close(fd) }

        /// Sends bytes; false once the server has closed the connection.
        @discardableResult
        func send(_ text: String) -> Bool { send(Data(text.utf8)) }

        @discardableResult
        func send(_ data: Data) -> Bool {
            data.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, data.count, Int32(MSG_NOSIGNAL)) } == data.count
        }

        /// What the server has answered so far, waiting up to `milliseconds` for the first byte.
        func answer(waiting milliseconds: Int32) -> String {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, milliseconds) > 0 else { return "" }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        }
    }

    @Test func anEndlessSignInBodyIsRefusedEarlyAndOthersAreServedMeanwhile() async throws {
        let fixture = try WebFixture()
        let app = try await buildApplication(fixture.configuration())
        try await withLiveServer(app) { client in
            let port = try #require(client.port)
            let attacker = try RawConnection(port: port)
            attacker.send("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                          + "Transfer-Encoding: chunked\r\n\r\n")
            // Tiny parts, as in the walk, 4 KiB a chunk.
            let parts = String(repeating: "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n", count: 80)
            let chunk = String(parts.utf8.count, radix: 16) + "\r\n" + parts + "\r\n"
            attacker.send(chunk)
            // While the attacker is still sending, someone else signs in.
            let page = try await client.executeRequest(uri: "/login", method: .get, headers: [:], body: nil)
            #expect(page.status == .ok)
            var sent = chunk.utf8.count, answer = ""
            while answer.isEmpty, sent < 1024 * 1024 {
                guard attacker.send(chunk) else { answer = attacker.answer(waiting: 1000); break }
                sent += chunk.utf8.count
                // Past the sign-in limit (8 KiB) the answer is due: wait for it, so a busy machine answering slowly does
                // not look like a server reading on.
                answer = attacker.answer(waiting: sent > 16 * 1024 ? 5000 : 100)
            }
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(80))")
            #expect(sent < 64 * 1024, "the server read \(sent) bytes before refusing")
        }
    }

    @Test func aDeclaredLengthBeyondTheLimitOrTheRightsIsRefusedBeforeAnyBody() async throws {
        let fixture = try WebFixture()
        let app = try await buildApplication(fixture.configuration())
        try await withLiveServer(app) { client in
            let port = try #require(client.port)
            // Ten megabytes announced to the sign-in form: refused on the header alone.
            let big = try RawConnection(port: port)
            big.send("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     + "Content-Length: 10000000\r\n\r\n")
            #expect(big.answer(waiting: 5000).hasPrefix("HTTP/1.1 413"))
            // An upload to a route the sender may not use: refused before a byte of it is read.
            let anonymous = try RawConnection(port: port)
            anonymous.send("POST /people/import HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                           + "Content-Length: 9000000\r\n\r\n")
            let answer = anonymous.answer(waiting: 5000)
            #expect(answer.hasPrefix("HTTP/1.1 401") || answer.hasPrefix("HTTP/1.1 403"), "\(answer.prefix(80))")
        }
    }
}

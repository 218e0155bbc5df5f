// The trainee page's second peer in `Benchmarks/run web` and `scale`: a bare Hummingbird route answering GET /my with
// saved bytes (the page obuka served), on the same server set-up as `obuka serve` (Swift concurrency's jobs on NIO's
// event loops, all cores). What obuka adds above it (session, access rule, reading the store, the template) is the
// difference between the two; nginx, the first peer, shows what a server that does nothing in Swift manages.
//
// Usage: obuka-bare-route FILE PORT
import Foundation
import Hummingbird
import NIOCore
import NIOPosix

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[2]), (1...65535).contains(port),
      let saved = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: obuka-bare-route FILE PORT\n".utf8))
    exit(2)
}
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
let page = ByteBuffer(bytes: saved)
let router = Router()
router.get("my") { _, _ in
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "peer"))
try await app.runService()

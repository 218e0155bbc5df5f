import Foundation
import Testing

/// docs/ARCHITECTURE.md stays true: its table of targets names exactly the targets of Package.swift with exactly their
/// dependencies, and the adapters never see the store.
@Suite struct ArchitectureDocumentTests {
    static func read(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    /// Package.swift's non-test targets and what each depends on: target names, and a package's name for its products.
    static func packageTargets() throws -> [String: Set<String>] {
        let manifest = try read("Package.swift")
        var targets: [String: Set<String>] = [:]
        let declaration = /\.(target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"/
        for match in manifest.matches(of: declaration) {
            let rest = manifest[match.range.upperBound...]
            // The declaration's own text: up to the next target declaration.
            let end = rest.firstMatch(of: /\.(target|executableTarget|systemLibrary|testTarget)\(/)?.range.lowerBound ?? rest.endIndex
            let text = rest[..<end]
            var dependencies = Set<String>()
            if let list = text.firstMatch(of: /dependencies:\s*\[([^\]]*)\]/) {
                let body = String(list.output.1)
                for product in body.matches(of: /\.product\(name:\s*"[^"]+",\s*package:\s*"([^"]+)"\)/) {
                    dependencies.insert(String(product.output.1))
                }
                let withoutProducts = body.replacing(/\.product\([^)]*\)/, with: "")
                for name in withoutProducts.matches(of: /"([^"]+)"/) { dependencies.insert(String(name.output.1)) }
            }
            targets[String(match.output.2)] = dependencies
        }
        return targets
    }

    /// The document's table: target → its "depends on" cell, split on commas (`—` for none).
    static func documentedTargets() throws -> [String: Set<String>] {
        var targets: [String: Set<String>] = [:]
        for line in try read("docs/ARCHITECTURE.md").split(separator: "\n") {
            guard let row = line.firstMatch(of: /^\| `([A-Za-z0-9-]+)` \|.*\| ([^|]+) \|$/) else { continue }
            let cell = row.output.2.trimmingCharacters(in: .whitespaces)
            targets[String(row.output.1)] = cell == "—" ? [] : Set(cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return targets
    }

    @Test func theTableOfTargetsIsPackageSwift() throws {
        let package = try Self.packageTargets(), document = try Self.documentedTargets()
        #expect(package.count >= 18, "read \(package.count) targets from Package.swift")
        #expect(Set(package.keys) == Set(document.keys),
                "only in Package.swift: \(Set(package.keys).subtracting(document.keys).sorted()); only in the document: \(Set(document.keys).subtracting(package.keys).sorted())")
        for (target, dependencies) in package {
            guard let documented = document[target] else { continue }
            #expect(documented == dependencies,
                    "\(target): only in Package.swift \(dependencies.subtracting(documented).sorted()), only in the document \(documented.subtracting(dependencies).sorted())")
        }
    }

    @Test func theAdaptersNeverSeeTheStore() throws {
        for folder in ["Sources/TrainingWeb", "Sources/ObukaCLI"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: url.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
                #expect(text.firstMatch(of: /import (TrainingStore|GRDB)|@_exported/) == nil, "\(folder)/\(file)")
            }
        }
        let office = repositoryRoot.appendingPathComponent("Sources/TrainingOffice")
        for file in try FileManager.default.contentsOfDirectory(atPath: office.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: office.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("import TrainingStore") || line.contains("import GRDB") {
                #expect(line == "internal import TrainingStore", "TrainingOffice/\(file): \(line)")
            }
        }
        let manifest = try Self.read("Package.swift")
        #expect(manifest.matches(of: /enableUpcomingFeature\("MemberImportVisibility"\)/).count >= 2)
    }
}

// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "obuka",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "obuka", targets: ["obuka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure domain: values and rules, no I/O framework.
        .target(name: "TrainingCore"),
        .target(name: "Localization", dependencies: ["TrainingCore"], resources: [.process("Resources")]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "SafeXML", dependencies: ["CLibXML2"]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "Certificates",
            dependencies: [
                "TrainingCore", "SafeXML", "CPangoCairo", "CQREncode",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CurriculumXML",
            dependencies: ["SafeXML", "TrainingCore", "Localization", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "CSVImport",
            dependencies: [
                "TrainingCore",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Reports",
            dependencies: [
                "TrainingCore", "Localization", "CPangoCairo",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources/report.mustache")]
        ),
        .target(
            name: "TrainingStore",
            dependencies: [
                "TrainingCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources/departments.csv")]
        ),
        .target(
            name: "ObukaCLI",
            dependencies: [
                "TrainingCore", "Localization", "TrainingStore", "CurriculumXML", "SafeXML", "CSVImport", "Certificates", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Resources/demo")]
        ),
        .executableTarget(name: "obuka", dependencies: ["ObukaCLI"]),

        .testTarget(name: "TrainingCoreTests", dependencies: ["TrainingCore"]),
        .testTarget(name: "LocalizationTests", dependencies: ["Localization"]),
        .testTarget(name: "SafeXMLTests", dependencies: ["SafeXML"]),
        .testTarget(
            name: "CurriculumXMLTests",
            dependencies: ["CurriculumXML", "TrainingCore", "TrainingStore", "SafeXML", "Localization"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TrainingStoreTests",
            dependencies: ["TrainingStore", "TrainingCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CSVImportTests",
            dependencies: ["CSVImport", "TrainingCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: ["Certificates", "TrainingCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TrainingCore", "TrainingStore"]),
        .testTarget(name: "ObukaCLITests", dependencies: ["ObukaCLI"]),
    ],
    swiftLanguageModes: [.v6]
)

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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Already in the graph through Hummingbird; named for NIOPosix's executor takeover in `obuka serve`.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        // Already in the graph through Hummingbird; named for the web app's clock tick, a service of its ServiceGroup.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Pure domain: values and rules, no I/O framework.
        .target(name: "TrainingCore"),
        .target(name: "Localization", dependencies: ["TrainingCore"], resources: [.process("Resources")]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "SafeXML", dependencies: ["CLibXML2"]),
        // cairo, pango and libqrencode, opened when the first PDF or QR code is drawn, not at every start.
        .target(name: "CGraphics"),
        // E-mail: MIME messages written by obuka, handed to msmtp (the system's mail submission program).
        .target(name: "Mail"),
        // Certificate page layouts read from XML: untrusted input, so apart from rendering and signing.
        .target(name: "CertificateTemplates", dependencies: ["TrainingCore", "SafeXML"]),
        .target(
            name: "Certificates",
            dependencies: [
                "TrainingCore", "CertificateTemplates", "CGraphics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "CurriculumXML",
            dependencies: ["SafeXML", "TrainingCore", "Localization"]
        ),
        .target(
            name: "CSVImport",
            dependencies: ["TrainingCore", .product(name: "CSV", package: "CSV.swift")]
        ),
        .target(
            name: "Reports",
            dependencies: [
                "TrainingCore", "Localization", "CGraphics",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources/report.mustache"), .copy("Resources/mail.mustache")]
        ),
        .target(
            name: "TrainingStore",
            dependencies: [
                "TrainingCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("Resources/departments.csv")]
        ),
        // The application layer: one use case per thing a user does; the only way to the store.
        .target(
            name: "TrainingOffice",
            dependencies: [
                "TrainingCore", "Localization", "TrainingStore", "Certificates", "CertificateTemplates", "Reports", "CSVImport",
                "CurriculumXML", "SafeXML", "Mail",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.copy("Resources/demo")]
        ),
        .target(
            name: "TrainingWeb",
            dependencies: [
                "TrainingCore", "Localization", "TrainingOffice", "CSVImport", "Reports", "Certificates", "SafeXML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/openapi.json")],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        .target(
            name: "ObukaCLI",
            dependencies: [
                "TrainingCore", "Localization", "SafeXML", "CSVImport", "Certificates", "Reports", "TrainingOffice", "TrainingWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // glibc's mallopt for the executable's allocator settings.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .executableTarget(name: "obuka", dependencies: ["ObukaCLI", "CMalloc"]),
        // libFuzzer targets for the untrusted-input readers (`make fuzz`); a plain build makes their replayer.
        .executableTarget(
            name: "obuka-fuzz",
            dependencies: ["CurriculumXML", "CSVImport", "CertificateTemplates", "SafeXML", "TrainingCore"]
        ),

        // The trainee page's peer in Benchmarks/run: a bare Hummingbird route serving saved bytes.
        .executableTarget(
            name: "obuka-bare-route",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/peers/bare-route"
        ),

        // The mistyped numbers every entry's tests feed to every numeric field.
        .target(name: "MistypedNumbers", dependencies: ["TrainingCore"], path: "Tests/MistypedNumbers"),
        .testTarget(name: "TrainingCoreTests", dependencies: ["TrainingCore"]),
        .testTarget(name: "LocalizationTests", dependencies: ["Localization"]),
        .testTarget(name: "SafeXMLTests", dependencies: ["SafeXML"]),
        .testTarget(name: "MailTests", dependencies: ["Mail"]),
        .testTarget(
            name: "CurriculumXMLTests",
            dependencies: ["CurriculumXML", "TrainingCore", "TrainingStore", "TrainingOffice", "SafeXML", "Localization"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TrainingStoreTests",
            dependencies: ["TrainingStore", "TrainingCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TrainingOfficeTests",
            dependencies: ["TrainingOffice", "TrainingStore", "TrainingCore", "Reports", "CSVImport", "Certificates", "CertificateTemplates",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "CSVImportTests",
            dependencies: ["CSVImport", "TrainingCore", "MistypedNumbers", .product(name: "CSV", package: "CSV.swift")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: ["Certificates", "CertificateTemplates", "CGraphics", "SafeXML", "TrainingCore",
                           .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "ObukaCLITests", dependencies: ["ObukaCLI", "MistypedNumbers", "CSVImport", "TrainingCore", "Localization"]),
        .testTarget(
            name: "TrainingWebTests",
            dependencies: [
                "TrainingWeb", "TrainingOffice", "TrainingStore", "TrainingCore", "MistypedNumbers", "Localization",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

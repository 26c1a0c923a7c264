import Foundation

/// A small MMDB built from `Fixtures/geoip-*.csv` with the same writer and
/// script that build the production file, once per test run.
enum GeoIPFixture {
    struct BuildFailed: Error, CustomStringConvertible {
        let description: String
    }

    static func path() throws -> String {
        try built.get()
    }

    private static let built: Result<String, BuildFailed> = {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("signet-test-geoip-\(ProcessInfo.processInfo.processIdentifier).mmdb").path
        let fixtures = "\(TestEnvironment.packageRoot)/Tests/SignetServerTests/Fixtures"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "perl", "\(TestEnvironment.packageRoot)/scripts/geoip/build-mmdb",
            "--ipv4", "\(fixtures)/geoip-ipv4.csv", "--ipv6", "\(fixtures)/geoip-ipv6.csv", "--out", output,
        ]
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return .failure(BuildFailed(description: "cannot run scripts/geoip/build-mmdb: \(error)"))
        }
        guard process.terminationStatus == 0 else {
            return .failure(BuildFailed(description: "scripts/geoip/build-mmdb failed; is libmaxmind-db-writer-perl installed?"))
        }
        return .success(output)
    }()
}

import Foundation

/// A small MMDB built from `Fixtures/geoip-*.csv` with the same writer and
/// script that build the production file.
enum GeoIPFixture {
    static let path: String = {
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
            fatalError("cannot run scripts/geoip/build-mmdb: \(error)")
        }
        precondition(process.terminationStatus == 0, "scripts/geoip/build-mmdb failed; is libmaxmind-db-writer-perl installed?")
        return output
    }()
}

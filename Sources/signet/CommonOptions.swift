import ArgumentParser
import Configuration
import Logging
import SignetServer

/// Options every command accepts; each overrides its `SIGNET_*` variable,
/// which overrides `.env`, which overrides the defaults.
struct CommonOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (SIGNET_DATABASE_URL), e.g. postgres://user:pass@host:5432/signet?sslmode=require")
    var databaseURL: String?
    @Option(help: "Address to listen on (SIGNET_HOST).")
    var host: String?
    @Option(help: "Port to listen on (SIGNET_PORT).")
    var port: Int?
    @Option(help: "Public origin printed in seal URLs (SIGNET_PUBLIC_URL).")
    var publicURL: String?
    @Option(name: .customLong("geoip-db"), help: "MaxMind DB file for countries (SIGNET_GEOIP_DB).")
    var geoIPDatabase: String?
    @Option(help: "Comma-separated CIDRs of reverse proxies allowed to set X-Forwarded-For (SIGNET_TRUSTED_PROXIES).")
    var trustedProxies: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (SIGNET_LOG_LEVEL).")
    var logLevel: String?
    @Option(help: "Digital Link requests per client address and minute, 0 for no limit (SIGNET_SCAN_RATE_LIMIT).")
    var scanRateLimit: Int?
    @Option(name: .customLong("resources-dir"), help: "Folder with Templates/, Localization/, Public/, db/ (SIGNET_RESOURCES_DIR).")
    var resourcesDirectory: String?
    @Option(name: .customLong("env-file"), help: "A .env file to read (default: .env when present).")
    var environmentFile: String = ".env"

    func configuration() async throws -> SignetConfiguration {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        func set(_ key: String, _ content: ConfigContent?) {
            if let content { values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = .init(content, isSecret: key.contains("database")) }
        }
        func set(_ key: String, _ value: String?) { set(key, value.map(ConfigContent.string)) }
        set("signet.database.url", databaseURL)
        set("signet.host", host)
        set("signet.port", port.map(ConfigContent.int))
        set("signet.public.url", publicURL)
        set("signet.geoip.db", geoIPDatabase)
        set("signet.trusted.proxies", trustedProxies)
        set("signet.log.level", logLevel)
        set("signet.resources.dir", resourcesDirectory)
        set("signet.scan.rate.limit", scanRateLimit.map(ConfigContent.int))
        let reader = ConfigReader(providers: [
            InMemoryProvider(name: "command line", values: values),
            EnvironmentVariablesProvider(secretsSpecifier: .specific(["SIGNET_DATABASE_URL", "SIGNET_SECRET_KEY"])),
            try await EnvironmentVariablesProvider(
                environmentFilePath: .init(environmentFile), allowMissing: true,
                secretsSpecifier: .specific(["SIGNET_DATABASE_URL", "SIGNET_SECRET_KEY"])),
        ])
        do {
            return try SignetConfiguration(reader: reader)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func logger(_ configuration: SignetConfiguration, label: String = "signet") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = configuration.logLevel
        return logger
    }
}

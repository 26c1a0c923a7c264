import SignetCore
import Testing

@Suite("Webhook endpoint URLs")
struct WebhookEndpointURLTests {
    @Test("an https URL on a public name or address is accepted as typed, trimmed")
    func accepted() throws {
        let url = try WebhookEndpointURL("  https://hooks.example.com/signet?team=qa \n", allowPrivate: false)
        #expect(url.text == "https://hooks.example.com/signet?team=qa")
        #expect(url.host == "hooks.example.com")
        #expect(try WebhookEndpointURL("https://93.184.216.34/in", allowPrivate: false).host == "93.184.216.34")
    }

    @Test("plain http, credentials, fragments, non-URLs and over-long URLs are refused", arguments: [
        ("http://hooks.example.com/in", WebhookEndpointURL.Problem.schemeNotAllowed),
        ("ftp://hooks.example.com/in", .schemeNotAllowed),
        ("https://user:pass@hooks.example.com/in", .credentialsInURL),
        ("https://hooks.example.com/in#part", .fragment),
        ("hooks.example.com/in", .notAURL),
        ("", .empty),
        ("https://example.com/" + String(repeating: "a", count: 2000), .tooLong),
    ])
    func refused(input: String, problem: WebhookEndpointURL.Problem) {
        #expect(throws: problem) { try WebhookEndpointURL(input, allowPrivate: false) }
    }

    @Test("loopback, private and metadata addresses written in the URL are refused unless private targets are allowed")
    func privateAddresses() throws {
        for text in ["https://127.0.0.1:8080/in", "https://10.1.2.3/in", "https://169.254.169.254/latest", "https://[::1]/in",
                     "https://[::ffff:192.168.1.1]/in"] {
            #expect(throws: WebhookEndpointURL.Problem.self) { try WebhookEndpointURL(text, allowPrivate: false) }
            #expect(try WebhookEndpointURL(text, allowPrivate: true).text == text)
        }
        // Where no receiver can live stays refused either way.
        #expect(throws: WebhookEndpointURL.Problem.self) { try WebhookEndpointURL("http://0.0.0.0:9000/", allowPrivate: true) }
        #expect(try WebhookEndpointURL("http://127.0.0.1:9000/in", allowPrivate: true).scheme == "http")
    }
}

import Foundation
import Mustache
import SignetCore

/// One mustache library per language, with every `{{t.key}}` replaced by that
/// language's string (HTML-escaped) when the server starts.
///
/// UI strings never change while the server runs, and resolving them at render
/// time was most of the scan page's rendering cost; what is left for each
/// request is the page's own data, still escaped by mustache.
struct LocalizedTemplates: Sendable {
    private let libraries: [Language: MustacheLibrary]

    static func load(directory: String, catalog: LocalizationCatalog) throws -> LocalizedTemplates {
        MustacheContentTypes.register(FastHTMLContentType(), named: FastHTMLContentType.name)
        // Folders group templates by capability; a template is named by its file
        // name alone (mustache's closing tags cannot hold a path), so names are
        // unique across folders.
        guard let files = FileManager.default.subpaths(atPath: directory) else { throw ResourceError.missing(directory) }
        var sources: [String: String] = [:]
        for file in files.sorted() where file.hasSuffix(".mustache") {
            let name = String(file.split(separator: "/").last!.dropLast(".mustache".count))
            guard sources[name] == nil else { throw ResourceError.invalid("Templates/\(file)", "another folder has a template named \(name)") }
            sources[name] = try String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)
        }
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            let strings = catalog.strings(language)
            var templates: [String: MustacheTemplate] = [:]
            for (name, source) in sources {
                // The pragma selects the faster escaper; escaping itself stays on.
                let baked = "{{% CONTENT_TYPE: \(FastHTMLContentType.name) }}" + (try bake(source, strings: strings, template: name))
                do {
                    templates[name] = try MustacheTemplate(string: baked)
                } catch {
                    throw ResourceError.invalid("Templates/\(name).mustache", "\(error)")
                }
            }
            libraries[language] = MustacheLibrary(templates: templates)
        }
        return LocalizedTemplates(libraries: libraries)
    }

    func library(_ language: Language) -> MustacheLibrary {
        libraries[language]!
    }

    /// Replaces `{{t.key}}` tags; an unknown key, a string that looks like a
    /// mustache tag, or any other use of `t` is an error at start-up.
    static func bake(_ source: String, strings: LocalizedStrings, template: String) throws -> String {
        var output = ""
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{t.") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw ResourceError.invalid("Templates/\(template).mustache", "unclosed {{t. tag")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let value = strings.table[key] else {
                throw ResourceError.invalid("Templates/\(template).mustache", "unknown string t.\(key)")
            }
            guard !value.contains("{{"), !value.contains("}}") else {
                throw ResourceError.invalid("Localization/\(strings.language.rawValue).json", "\(key) contains a mustache tag")
            }
            output += HTML.escape(value)
            rest = rest[close.upperBound...]
        }
        output += rest
        if output.contains("{{#t.") || output.contains("{{^t.") || output.contains("{{{t.") || output.contains("{{&t.") {
            throw ResourceError.invalid("Templates/\(template).mustache", "only {{t.key}} may use UI strings")
        }
        return output
    }
}

/// The same escaping mustache applies to `{{var}}` (the same five characters,
/// the same entities), working on UTF-8 bytes instead of hashing every
/// Character: mustache's own escaper was the largest single cost of a scan.
enum HTML {
    static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: needsEscape) else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 32)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "&"): output += Array("&amp;".utf8)
                case UInt8(ascii: "<"): output += Array("&lt;".utf8)
                case UInt8(ascii: ">"): output += Array("&gt;".utf8)
                case UInt8(ascii: "\""): output += Array("&quot;".utf8)
                case UInt8(ascii: "'"): output += Array("&#39;".utf8)
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}

struct FastHTMLContentType: MustacheContentType {
    static let name = "SIGNET_HTML"

    func escapeText(_ text: String) -> String {
        HTML.escape(text)
    }
}

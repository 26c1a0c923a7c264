import SignetCore
import Testing

@Suite("Choosing a resolver link")
struct LinkChooserTests {
    static func link(
        _ type: GS1LinkType, _ href: String, level: ResolverLink.Level = .product, languages: [String] = [], mediaType: String? = nil,
        context: String? = nil, isDefault: Bool = false
    ) -> ResolverLink {
        ResolverLink(level: level, type: type, href: href, title: href, languages: languages, mediaType: mediaType, context: context, isDefault: isDefault)
    }

    static let safety = GS1LinkType("gs1:safetyInfo")!

    @Test("the requested type at the most specific level that has it; none is none")
    func walksUp() {
        let levels = [
            [Self.link(.verificationService, "serial", level: .serial("1"), isDefault: true)],
            [Self.link(Self.safety, "lot", level: .lot("L"))],
            [Self.link(Self.safety, "product"), Self.link(.pip, "pip", isDefault: true)],
        ]
        #expect(LinkChooser.choose(.init(linkType: Self.safety), levels: levels) == .link(levels[1][0]))
        #expect(LinkChooser.choose(.init(linkType: .pip), levels: levels) == .link(levels[2][1]))
        #expect(LinkChooser.choose(.init(linkType: .recallStatus), levels: levels) == .none)
        #expect(LinkChooser.choose(.init(), levels: levels) == .link(levels[0][0]), "no type: the most specific default")
        #expect(LinkChooser.choose(.init(), levels: [[Self.link(Self.safety, "lot")], levels[2]]) == .link(levels[2][1]))
    }

    @Test("context first, then language (fr serves fr-CA and the other way), then media type; a tie is several choices unless one is the default")
    func ranks() {
        let links = [
            Self.link(Self.safety, "fr", languages: ["fr"], mediaType: "application/pdf"),
            Self.link(Self.safety, "fr-html", languages: ["fr"], mediaType: "text/html"),
            Self.link(Self.safety, "en", languages: ["en"]),
            Self.link(Self.safety, "any"),
            Self.link(Self.safety, "ca", languages: ["en"], context: "CA"),
        ]
        func choose(_ languages: [String], _ types: [String] = [], context: String? = nil) -> LinkChooser.Choice {
            LinkChooser.choose(.init(linkType: Self.safety, languages: languages, mediaTypes: types, context: context), levels: [links])
        }
        #expect(choose(["fr-ca"], ["application/pdf"]) == .link(links[0]))
        #expect(choose(["fr"], ["text/html"]) == .link(links[1]))
        #expect(choose(["fr"]) == .multipleChoices([links[0], links[1]]))
        #expect(choose(["de"]) == .link(links[3]), "a link in no language beats one in a language not wanted")
        #expect(choose(["en"], context: "CA") == .link(links[4]))
        #expect(choose(["en"], context: "XX") == .multipleChoices([links[2], links[4]]), "an unknown context narrows nothing")
        var withDefault = links
        withDefault[1].isDefault = true
        #expect(LinkChooser.choose(.init(linkType: Self.safety, languages: ["fr"]), levels: [withDefault]) == .link(withDefault[1]))
    }
}

import SignetCore
import Testing

@Suite("Resolver links as brands type them")
struct ResolverLinkInputTests {
    @Test("GS1 Web Vocabulary types in every spelling; the resolver's own and unknown ones refused")
    func linkTypes() {
        for text in ["gs1:pip", "https://gs1.org/voc/pip", "https://ref.gs1.org/voc/pip", "https://www.gs1.org/voc/pip"] {
            #expect(GS1LinkType(text) == .pip, "\(text)")
        }
        #expect(GS1LinkType("pip") == nil)
        #expect(GS1LinkType("gs1:recyclingInfo") == nil, "not in the vocabulary: gs1:sustainabilityInfo covers recycling")
        #expect(GS1LinkType("gs1:productSustainabilityInfo") == nil, "deprecated")
        #expect(GS1LinkType("gs1:defaultLink")?.isEditable == false)
        #expect(GS1LinkType.editable.count == 56)
        #expect(GS1LinkType.pip.uri == "https://gs1.org/voc/pip")
    }

    @Test("a good link is normalised; a bad one names every field")
    func validation() throws {
        let link = try ResolverLinkInput(
            type: " gs1:safetyInfo ", href: "https://brand.example/fds.pdf", title: " Fiche ", languages: "FR, fr-ca en",
            mediaType: "Application/PDF", context: "FR", lot: "HL2406", isDefault: true
        ).validated()
        #expect(link == ResolverLink(
            level: .lot("HL2406"), type: GS1LinkType("gs1:safetyInfo")!, href: "https://brand.example/fds.pdf", title: "Fiche",
            languages: ["en", "fr", "fr-CA"], mediaType: "application/pdf", context: "FR", isDefault: true))
        do {
            _ = try ResolverLinkInput(
                type: "gs1:handledBy", href: "https://", title: String(repeating: "x", count: 201), languages: "fra",
                mediaType: "pdf/x", context: "a b", lot: "L 1", serial: "S1", isDefault: true
            ).validated()
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.field) == ["type", "href", "title", "languages", "media_type", "context", "lot", "serial", "default"])
        }
    }

    @Test("a linkset has one default per anchor, without optional attributes, and link types as full URIs")
    func linkset() throws {
        let json = Linkset(entries: [Linkset.Entry(anchor: "https://s.example/01/03760123450003", itemDescription: "Honey", links: [
            ResolverLink(level: .product, type: .pip, href: "https://b.example/", title: "Page", languages: ["fr"], mediaType: "text/html", isDefault: true),
        ])]).json()
        #expect(String(decoding: json, as: UTF8.self) == #"{"linkset":[{"anchor":"https://s.example/01/03760123450003","# +
            #""https://gs1.org/voc/defaultLink":[{"href":"https://b.example/","title":"Page"}],"# +
            #""https://gs1.org/voc/pip":[{"href":"https://b.example/","hreflang":["fr"],"title":"Page","type":"text/html"}],"# +
            #""itemDescription":"Honey"}]}"#)
    }
}

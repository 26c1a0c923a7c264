import SignetCore

/// Rewrites the identifiers of a stored event as GS1 Digital Link URIs, for
/// clients asking `GS1-EPC-Format: Always_GS1_Digital_Link`.
enum EPCFormatTranslation {
    static func digitalLinks(inEvent text: String) -> String {
        guard case .object(var event)? = try? JSONValue.parse(Array(text.utf8)) else { return text }
        for key in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] {
            if case .array(let list)? = event[key] { event[key] = .array(list.map(translated)) }
        }
        if let parent = event["parentID"] { event["parentID"] = translated(parent) }
        for key in ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] {
            if case .array(let list)? = event[key] { event[key] = .array(list.map { translated($0, at: "epcClass") }) }
        }
        for key in ["readPoint", "bizLocation"] {
            if let place = event[key] { event[key] = translated(place, at: "id") }
        }
        for (key, field) in [("sourceList", "source"), ("destinationList", "destination")] {
            if case .array(let list)? = event[key] { event[key] = .array(list.map { translated($0, at: field) }) }
        }
        return JSONValue.object(event).serialized()
    }

    private static func translated(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value, let identifier = EPCIdentifier(text) else { return value }
        return .string(identifier.digitalLinkURI)
    }

    private static func translated(_ value: JSONValue, at key: String) -> JSONValue {
        guard case .object(var object) = value, let inner = object[key] else { return value }
        object[key] = translated(inner)
        return .object(object)
    }
}

import Foundation

/// Reads one event object, collecting every problem instead of stopping at
/// the first, so that a sender can correct an event in one round trip.
struct EPCISEventReader {
    static let maximumListCount = 100_000
    static let maximumStringLength = 2_048
    static let maximumEventIDLength = 500

    private let fields: [String: JSONValue]
    private let path: String
    private var type: EPCISEventType?
    private(set) var errors: [EPCISFieldError] = []

    /// `path` is where the event sits in its document, such as `epcisBody.eventList[3]`; empty for an event on its own.
    init(fields: [String: JSONValue], path: String) {
        self.fields = fields
        self.path = path
    }

    /// The event, or nil when `errors` says what is wrong with it.
    mutating func read(_ json: JSONValue) -> EPCISEvent? {
        type = readType()
        rejectFieldsOfOtherTypes()

        let eventID = value("eventID").flatMap { uri($0, at: field("eventID"), maximumLength: Self.maximumEventIDLength) }
        let eventTime = required("eventTime").flatMap { timestamp($0, at: field("eventTime")) }
        let eventTimeZoneOffset = required("eventTimeZoneOffset").flatMap { readTimeZoneOffset($0) }
        let action = readAction()
        let bizStep = value("bizStep").flatMap { vocabularyValue($0, at: field("bizStep"), .businessStep) }
        let disposition = value("disposition").flatMap { vocabularyValue($0, at: field("disposition"), .disposition) }
        let epcList = identifiers("epcList", role: .instance)
        let quantityList = quantities("quantityList")
        let parentID = value("parentID").flatMap { identifier($0, at: field("parentID"), role: .instance) }
        let childEPCs = identifiers("childEPCs", role: .instance)
        let childQuantityList = quantities("childQuantityList")
        let inputEPCList = identifiers("inputEPCList", role: .instance)
        let inputQuantityList = quantities("inputQuantityList")
        let outputEPCList = identifiers("outputEPCList", role: .instance)
        let outputQuantityList = quantities("outputQuantityList")
        let transformationID = value("transformationID").flatMap { uri($0, at: field("transformationID")) }
        let readPoint = place("readPoint")
        let bizLocation = place("bizLocation")
        let sourceList = sourcesOrDestinations("sourceList", idKey: "source")
        let destinationList = sourcesOrDestinations("destinationList", idKey: "destination")
        let bizTransactionList = bizTransactions()
        let persistentDisposition = readPersistentDisposition()
        let errorDeclaration = readErrorDeclaration()
        let ilmd = readILMD(action: action)
        _ = list("sensorElementList")
        rejectNULCharacters(in: json)
        checkRequiredContent(action: action)

        guard errors.isEmpty, let type, let eventTime, let eventTimeZoneOffset else { return nil }
        return EPCISEvent(
            type: type, eventID: eventID, eventTime: eventTime, eventTimeZoneOffset: eventTimeZoneOffset, action: action,
            bizStep: bizStep, disposition: disposition, epcList: epcList, quantityList: quantityList, parentID: parentID,
            childEPCs: childEPCs, childQuantityList: childQuantityList, inputEPCList: inputEPCList,
            inputQuantityList: inputQuantityList, outputEPCList: outputEPCList, outputQuantityList: outputQuantityList,
            transformationID: transformationID, readPoint: readPoint, bizLocation: bizLocation, sourceList: sourceList,
            destinationList: destinationList, bizTransactionList: bizTransactionList,
            persistentDispositionSet: persistentDisposition.set, persistentDispositionUnset: persistentDisposition.unset,
            errorDeclaration: errorDeclaration, ilmd: ilmd, json: json
        )
    }

    // MARK: Which fields each type has (EPCIS 2.0 JSON schema and SHACL shapes)

    private static let typeFields: [EPCISEventType: Set<String>] = {
        let whereAndWhy: Set<String> = [
            "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList",
            "sensorElementList",
        ]
        return [
            .object: whereAndWhy.union(["action", "epcList", "quantityList", "persistentDisposition", "ilmd"]),
            .aggregation: whereAndWhy.union(["action", "parentID", "childEPCs", "childQuantityList"]),
            .association: whereAndWhy.union(["action", "parentID", "childEPCs", "childQuantityList"]),
            .transaction: whereAndWhy.union(["action", "parentID", "epcList", "quantityList"]),
            .transformation: whereAndWhy.union([
                "inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList", "transformationID",
                "persistentDisposition", "ilmd",
            ]),
        ]
    }()

    private static let allTypeFields = typeFields.values.reduce(Set<String>()) { $0.union($1) }

    private mutating func rejectFieldsOfOtherTypes() {
        guard let type, let allowed = Self.typeFields[type] else { return }
        for key in fields.keys.sorted() where Self.allTypeFields.contains(key) && !allowed.contains(key) {
            if key == "action" {
                fail(field(key), "a TransformationEvent has no action; leave it out")
            } else {
                fail(field(key), "is not a field of \(article(type)) \(type.rawValue)")
            }
        }
    }

    /// A field's value; nil when absent, null, or a standard field of another event type (reported once, above).
    private func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], value != .null else { return nil }
        if let type, Self.allTypeFields.contains(key), Self.typeFields[type]?.contains(key) != true { return nil }
        return value
    }

    private mutating func required(_ key: String) -> JSONValue? {
        guard let value = value(key) else {
            fail(field(key), "is required")
            return nil
        }
        return value
    }

    /// Whether a list was sent with something in it; a value of the wrong type
    /// counts, since that mistake is reported on its own.
    private func sent(_ key: String) -> Bool {
        guard let value = value(key) else { return false }
        if case .array(let elements) = value { return !elements.isEmpty }
        return true
    }

    // MARK: Required content per type (EPCIS 2.0 section 7.4)

    private mutating func checkRequiredContent(action: EPCISAction?) {
        guard let type else { return }
        if type != .transformation, value("action") == nil {
            fail(field("action"), "is required in \(article(type)) \(type.rawValue) (ADD, OBSERVE or DELETE)")
        }
        switch type {
        case .object:
            let sensorReadings = sent("sensorElementList") && value("readPoint") != nil
            if !sent("epcList"), !sent("quantityList"), !sensorReadings {
                fail(field("epcList"), "an ObjectEvent needs at least one EPC in epcList or one entry in quantityList (or sensor data with a readPoint)")
            }
        case .aggregation:
            if let action, action != .observe, value("parentID") == nil {
                fail(field("parentID"), "is required in an AggregationEvent unless action is OBSERVE")
            }
            if let action, action != .delete, !sent("childEPCs"), !sent("childQuantityList") {
                fail(field("childEPCs"), "an AggregationEvent needs at least one child in childEPCs or childQuantityList unless action is DELETE")
            }
        case .association:
            if value("parentID") == nil {
                fail(field("parentID"), "is required in an AssociationEvent")
            }
            if let action, action != .delete, !sent("childEPCs"), !sent("childQuantityList") {
                fail(field("childEPCs"), "an AssociationEvent needs at least one child in childEPCs or childQuantityList unless action is DELETE")
            }
        case .transaction:
            if !sent("bizTransactionList") {
                fail(field("bizTransactionList"), "a TransactionEvent needs at least one business transaction")
            }
            if let action, action != .delete, !sent("epcList"), !sent("quantityList"), value("parentID") == nil {
                fail(field("epcList"), "a TransactionEvent needs a parentID, an EPC in epcList or an entry in quantityList unless action is DELETE")
            }
        case .transformation:
            let hasInput = sent("inputEPCList") || sent("inputQuantityList")
            let hasOutput = sent("outputEPCList") || sent("outputQuantityList")
            let hasTransformationID = value("transformationID") != nil
            if !hasInput, !hasOutput {
                fail(field("inputEPCList"), "a TransformationEvent needs at least one input (inputEPCList or inputQuantityList) and one output (outputEPCList or outputQuantityList)")
            } else if !hasTransformationID, !hasInput {
                fail(field("inputEPCList"), "a TransformationEvent without a transformationID needs at least one input (inputEPCList or inputQuantityList)")
            } else if !hasTransformationID, !hasOutput {
                fail(field("outputEPCList"), "a TransformationEvent without a transformationID needs at least one output (outputEPCList or outputQuantityList)")
            }
        }
    }

    // MARK: Fields

    private mutating func readType() -> EPCISEventType? {
        guard let value = required("type"), let text = string(value, at: field("type")) else { return nil }
        guard let type = EPCISEventType(rawValue: text) else {
            let names = EPCISEventType.allCases.map(\.rawValue).joined(separator: ", ")
            fail(field("type"), "\(quoted(text)) is not an EPCIS event type Signet reads (\(names))")
            return nil
        }
        return type
    }

    private mutating func readTimeZoneOffset(_ value: JSONValue) -> String? {
        guard let text = string(value, at: field("eventTimeZoneOffset")) else { return nil }
        guard EPCISTimestamp.isTimeZoneOffset(text) else {
            fail(field("eventTimeZoneOffset"), "\(quoted(text)) is not an offset from UTC such as +01:00 or -06:00 (at most 14 hours)")
            return nil
        }
        return text
    }

    private mutating func readAction() -> EPCISAction? {
        guard let value = value("action"), let text = string(value, at: field("action")) else { return nil }
        guard let action = EPCISAction(rawValue: text) else {
            fail(field("action"), "\(quoted(text)) is not an action (ADD, OBSERVE or DELETE)")
            return nil
        }
        return action
    }

    private mutating func identifiers(_ key: String, role: EPCIdentifierRole) -> [EPCIdentifier] {
        list(key).compactMap { identifier($0.value, at: $0.field, role: role) }
    }

    private mutating func quantities(_ key: String) -> [EPCISQuantity] {
        list(key).compactMap { quantity($0.value, at: $0.field) }
    }

    private mutating func quantity(_ value: JSONValue, at field: String) -> EPCISQuantity? {
        guard let members = object(value, at: field) else { return nil }
        let errorsBefore = errors.count
        let epcClass = member("epcClass", of: members, at: field, required: true).flatMap {
            identifier($0, at: "\(field).epcClass", role: .quantityClass)
        }
        var amount: Double?
        switch members["quantity"] {
        case nil, .null?:
            break
        case .number(let number)?:
            if number > 0 { amount = number } else { fail("\(field).quantity", "must be above zero") }
        case let other?:
            fail("\(field).quantity", "must be a number, not \(other.kindDescription)")
        }
        let uom = member("uom", of: members, at: field, required: false).flatMap { string($0, at: "\(field).uom") }
        if let uom {
            let isUnitCode = (2...3).contains(uom.utf8.count)
                && uom.utf8.allSatisfy { ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
            if !isUnitCode {
                fail("\(field).uom", "\(quoted(uom)) is not a UN/CEFACT unit code such as KGM or LTR")
            } else if members["quantity"] == nil || members["quantity"] == .null {
                fail("\(field).uom", "needs a quantity to measure")
            }
        }
        guard let epcClass, errors.count == errorsBefore else { return nil }
        return EPCISQuantity(epcClass: epcClass, quantity: amount, uom: uom)
    }

    /// readPoint or bizLocation: `{"id": SGLN}`.
    private mutating func place(_ key: String) -> EPCIdentifier? {
        guard let value = value(key), let members = object(value, at: field(key)) else { return nil }
        return member("id", of: members, at: field(key), required: true).flatMap {
            identifier($0, at: "\(field(key)).id", role: .location)
        }
    }

    private mutating func sourcesOrDestinations(_ key: String, idKey: String) -> [EPCISSourceDestination] {
        list(key).compactMap { entry in
            guard let members = object(entry.value, at: entry.field) else { return nil }
            let type = member("type", of: members, at: entry.field, required: true).flatMap {
                vocabularyValue($0, at: "\(entry.field).type", .sourceDestinationType)
            }
            let id = member(idKey, of: members, at: entry.field, required: true).flatMap {
                identifier($0, at: "\(entry.field).\(idKey)", role: .sourceOrDestination)
            }
            guard let type, let id else { return nil }
            return EPCISSourceDestination(type: type, id: id)
        }
    }

    private mutating func bizTransactions() -> [EPCISBizTransaction] {
        list("bizTransactionList").compactMap { entry in
            guard let members = object(entry.value, at: entry.field) else { return nil }
            let errorsBefore = errors.count
            let type = member("type", of: members, at: entry.field, required: false).flatMap {
                vocabularyValue($0, at: "\(entry.field).type", .businessTransactionType)
            }
            let id = member("bizTransaction", of: members, at: entry.field, required: true).flatMap {
                uri($0, at: "\(entry.field).bizTransaction")
            }
            guard let id, errors.count == errorsBefore else { return nil }
            return EPCISBizTransaction(type: type, id: id)
        }
    }

    private mutating func readPersistentDisposition() -> (set: [String], unset: [String]) {
        let key = "persistentDisposition"
        guard let value = value(key), let members = object(value, at: field(key)) else { return ([], []) }
        let set = dispositions(members["set"], at: "\(field(key)).set")
        let unset = dispositions(members["unset"], at: "\(field(key)).unset")
        let sentAny = [members["set"], members["unset"]].contains { value in
            if case .array(let elements)? = value { return !elements.isEmpty }
            return value != nil && value != .null
        }
        if !sentAny {
            fail(field(key), "needs at least one disposition in set or unset")
        }
        return (set, unset)
    }

    private mutating func dispositions(_ value: JSONValue?, at field: String) -> [String] {
        guard let value, value != .null else { return [] }
        return list(value, at: field).compactMap { vocabularyValue($0.value, at: $0.field, .disposition) }
    }

    private mutating func readErrorDeclaration() -> EPCISErrorDeclaration? {
        let key = "errorDeclaration"
        guard let value = value(key), let members = object(value, at: field(key)) else { return nil }
        let errorsBefore = errors.count
        let declarationTime = member("declarationTime", of: members, at: field(key), required: true).flatMap {
            timestamp($0, at: "\(field(key)).declarationTime")
        }
        let reason = member("reason", of: members, at: field(key), required: false).flatMap {
            vocabularyValue($0, at: "\(field(key)).reason", .errorReason)
        }
        let correctiveEventIDs = member("correctiveEventIDs", of: members, at: field(key), required: false).map { ids in
            list(ids, at: "\(field(key)).correctiveEventIDs").compactMap {
                uri($0.value, at: $0.field, maximumLength: Self.maximumEventIDLength)
            }
        } ?? []
        guard let declarationTime, errors.count == errorsBefore else { return nil }
        return EPCISErrorDeclaration(declarationTime: declarationTime, reason: reason, correctiveEventIDs: correctiveEventIDs)
    }

    /// Instance or lot master data belongs to the goods an event brings into being.
    private mutating func readILMD(action: EPCISAction?) -> JSONValue? {
        guard let value = value("ilmd") else { return nil }
        guard case .object = value else {
            fail(field("ilmd"), "must be an object, not \(value.kindDescription)")
            return nil
        }
        if type == .object, let action, action != .add {
            fail(field("ilmd"), "only an ObjectEvent with action ADD carries ilmd")
        }
        return value
    }

    /// PostgreSQL's jsonb, where events are stored, cannot hold U+0000.
    private mutating func rejectNULCharacters(in json: JSONValue) {
        if let location = Self.firstNULCharacter(in: json, at: path) {
            fail(location, "contains a NUL character (\\u0000), which Signet cannot store")
        }
    }

    private static func firstNULCharacter(in value: JSONValue, at field: String) -> String? {
        switch value {
        case .string(let text):
            return text.utf8.contains(0) ? field : nil
        case .array(let elements):
            for (offset, element) in elements.enumerated() {
                if let found = firstNULCharacter(in: element, at: "\(field)[\(offset)]") { return found }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                let memberField = field.isEmpty ? key : "\(field).\(key)"
                if key.utf8.contains(0) { return memberField }
                if let found = firstNULCharacter(in: members[key, default: .null], at: memberField) { return found }
            }
            return nil
        case .null, .bool, .number:
            return nil
        }
    }

    // MARK: Values

    private mutating func list(_ key: String) -> [(field: String, value: JSONValue)] {
        guard let value = value(key) else { return [] }
        return list(value, at: field(key))
    }

    private mutating func list(_ value: JSONValue, at field: String) -> [(field: String, value: JSONValue)] {
        guard case .array(let elements) = value else {
            fail(field, "must be an array, not \(value.kindDescription)")
            return []
        }
        guard elements.count <= Self.maximumListCount else {
            fail(field, "has \(elements.count) entries; at most \(Self.maximumListCount) are accepted")
            return []
        }
        return elements.enumerated().map { ("\(field)[\($0.offset)]", $0.element) }
    }

    private mutating func object(_ value: JSONValue, at field: String) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            fail(field, "must be an object, not \(value.kindDescription)")
            return nil
        }
        return members
    }

    private mutating func member(_ key: String, of members: [String: JSONValue], at field: String, required: Bool) -> JSONValue? {
        guard let value = members[key], value != .null else {
            if required { fail("\(field).\(key)", "is required") }
            return nil
        }
        return value
    }

    private mutating func string(_ value: JSONValue, at field: String, maximumLength: Int = maximumStringLength) -> String? {
        guard case .string(let text) = value else {
            fail(field, "must be a string, not \(value.kindDescription)")
            return nil
        }
        guard text.utf8.count <= maximumLength else {
            fail(field, "is longer than \(maximumLength) bytes")
            return nil
        }
        return text
    }

    private mutating func uri(_ value: JSONValue, at field: String, maximumLength: Int = maximumStringLength) -> String? {
        guard let text = string(value, at: field, maximumLength: maximumLength) else { return nil }
        guard AbsoluteURI.isValid(text) else {
            fail(field, "\(quoted(text)) is not an absolute URI (such as urn:uuid:…, ni:///sha-256;… or https://…)")
            return nil
        }
        return text
    }

    private mutating func timestamp(_ value: JSONValue, at field: String) -> Date? {
        guard let text = string(value, at: field) else { return nil }
        guard let date = EPCISTimestamp.date(from: text) else {
            fail(field, "\(quoted(text)) is not a date and time with its offset, such as 2005-04-03T20:33:31.116-06:00 or 2005-04-04T02:33:31Z")
            return nil
        }
        return date
    }

    private mutating func identifier(_ value: JSONValue, at field: String, role: EPCIdentifierRole) -> EPCIdentifier? {
        guard let text = string(value, at: field) else { return nil }
        guard let identifier = EPCIdentifier(text) else {
            fail(field, "\(quoted(text)) is not an identifier Signet understands (sgtin, sscc, lgtin, idpat:sgtin, sgln, pgln, or their GS1 Digital Link forms)")
            return nil
        }
        guard role.accepts(identifier) else {
            fail(field, "\(quoted(text)) is \(identifier.kindDescription), but this field takes \(role.expectation)")
            return nil
        }
        return identifier
    }

    private mutating func vocabularyValue(_ value: JSONValue, at field: String, _ vocabulary: CBVVocabulary) -> String? {
        guard let text = string(value, at: field) else { return nil }
        guard let canonical = vocabulary.canonical(text) else {
            let reserved = !text.contains(":") || text.hasPrefix("urn:epcglobal:cbv:") || text.contains("ref.gs1.org/cbv/")
            fail(field, reserved
                ? "\(quoted(text)) is not a CBV 2.0 \(vocabulary.displayName)"
                : "\(quoted(text)) is neither a CBV 2.0 \(vocabulary.displayName) nor an absolute URI of your own vocabulary")
            return nil
        }
        return canonical
    }

    // MARK: Messages

    private func field(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private mutating func fail(_ field: String, _ message: String) {
        errors.append(EPCISFieldError(field: field, message: message))
    }

    /// The sent value in quotes, cut short so that one huge string does not make a huge message.
    private func quoted(_ text: String) -> String {
        let limit = 120
        return text.count > limit ? "\"\(text.prefix(limit))…\"" : "\"\(text)\""
    }

    private func article(_ type: EPCISEventType) -> String {
        type == .object || type == .aggregation || type == .association ? "an" : "a"
    }
}

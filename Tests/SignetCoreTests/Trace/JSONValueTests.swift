import Foundation
import Testing
@testable import SignetCore

@Suite("JSON values")
struct JSONValueTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    @Test("each JSON type reads as its case")
    func types() throws {
        let value = try parse(#"{"n": null, "t": true, "f": false, "i": 10, "d": 200.5, "s": "a/b", "a": [1, "x"], "o": {}}"#)
        #expect(value == [
            "n": nil, "t": true, "f": false, "i": 10, "d": 200.5, "s": "a/b", "a": [1, "x"], "o": .object([:]),
        ])
    }

    @Test("booleans stay booleans and 1 and 0 stay numbers")
    func booleansAreNotNumbers() throws {
        #expect(try parse("[true, 1, 0, false]") == [.bool(true), .number(1), .number(0), .bool(false)])
    }

    @Test("serialized: sorted keys, whole numbers without a fraction, slashes unescaped", arguments: [
        (#"{"b": 1, "a": [2.0, 200.5, -3, 1e-7, 0.1], "c": "https://id.gs1.org/01/x"}"#,
         #"{"a":[2,200.5,-3,1e-07,0.1],"b":1,"c":"https://id.gs1.org/01/x"}"#),
        (#"  [ null , true , false , "" ]  "#, #"[null,true,false,""]"#),
        (#""quote \" backslash \\ newline \n tab \t bell \u0007 é 😀""#, #""quote \" backslash \\ newline \n tab \t bell \u0007 é 😀""#),
        ("12345678901234", "12345678901234"),
        ("1e300", "1e+300"),
        (#"{"Z": 1, "a": 2, "É": 3}"#, #"{"Z":1,"a":2,"É":3}"#),
    ])
    func serialized(_ input: String, _ expected: String) throws {
        let value = try parse(input)
        #expect(value.serialized() == expected)
        // What is stored reads back as the same value.
        #expect(try parse(value.serialized()) == value)
    }

    @Test("numbers keep their value through serialization", arguments: [0.0, -0.5, 3, 1_000_000, 9_007_199_254_740_991, 1.5e-300, 123.456])
    func numberRoundTrip(_ number: Double) throws {
        #expect(try parse(JSONValue.number(number).serialized()) == .number(number))
    }

    @Test("values built in code without a JSON meaning serialize as null")
    func nonFinite() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).serialized() == "[null,null]")
    }

    @Test("Codable: encodes to the JSON it came from")
    func codable() throws {
        let value = try parse(#"{"a":[1,true,null,"x"]}"#)
        let data = try JSONEncoder().encode(value)
        #expect(try JSONValue.parse(data) == value)
    }

    @Test("malformed JSON is an error", arguments: [
        "", "{", #"{"a": }"#, "[1,]", #"{"a": 1,}"#, "[1 , ]", "nul", #"{"a" 1}"#, "1e400", "[1] x", "[01]", "NaN", "'a'",
        "// note\n1", "[1 2]", "{a: 1}", "[.5]", "+1", "\"tab\there\"", "[,1]", "{,}", "[1,,2]",
    ])
    func malformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try parse(text) }
    }

    @Test("10,000 nested arrays are refused, not a crash")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.nestedTooDeeply(limit: JSONValue.maximumDepth)) { try parse(deep) }
        let deepObjects = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.nestedTooDeeply(limit: JSONValue.maximumDepth)) { try parse(deepObjects) }
    }

    @Test("nesting up to the limit is fine; brackets in strings do not count")
    func nestingLimit() throws {
        let limit = JSONValue.maximumDepth
        _ = try parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit))
        #expect(throws: JSONParseError.self) {
            try parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1))
        }
        // ["\"[[[…\\", "{{{"]: an escaped quote and an escaped backslash, then brackets that are text.
        let bracketsInStrings = "[\"\\\"" + String(repeating: "[", count: 100) + "\\\\\", \"{{{\"]"
        #expect(try parse(bracketsInStrings) == [.string("\"" + String(repeating: "[", count: 100) + "\\"), "{{{"])
    }
}

import Foundation
import Testing
@testable import TicketPulseCore

/// `StreamingJSONEncoder` against `JSONEncoder` on values chosen to break a hand-written
/// JSON writer: escaping, numbers, empty and nested containers, super encoders, and the
/// interleaved writes it cannot stream and must hand to `JSONEncoder`.
@Suite("Streaming JSON encoder")
struct StreamingJSONEncoderTests {
    /// The two encoders' output read back as JSON values; they must be the same value.
    static func both<T: Encodable>(_ value: T, options: StreamingJSONEncoder.Options = []) throws -> (streamed: JSONValue, foundation: JSONValue, bytes: [UInt8]) {
        let encoder = StreamingJSONEncoder(options: options)
        let streamed = try encoder.encode(value)
        let foundation = try encoder.foundationEncoder.encode(value)
        return (try JSONValue(parsing: streamed), try JSONValue(parsing: foundation), streamed)
    }

    static let nastyStrings = [
        "", "plain", "\"quoted\"", "back\\slash\\", "\\\"", "line\nbreak\r\ttab", "\u{8}\u{C}", "\u{0}nul", "\u{1}\u{1F}\u{7F}",
        "</script><script>alert(1)</script>", "a/b//c", "https://example.com/t/4521?x=1&y=2", "é ü ß 中文", "emoji 🎉 👩‍👩‍👧 🇫🇷",
        "\u{2028}\u{2029}", "\u{FEFF}bom", "*bold* _it_ `code` <@U123|name> &amp; &lt;", String(repeating: "x\"", count: 500),
    ]

    struct Everything: Codable, Equatable {
        var strings: [String]
        var int = Int.min
        var intMax = Int.max
        var int8 = Int8.min
        var int16 = Int16.max
        var int32 = Int32.min
        var int64 = Int64.max
        var uint = UInt.max
        var uint8 = UInt8.max
        var uint16 = UInt16.max
        var uint32 = UInt32.max
        var uint64 = UInt64.max
        var zero = 0
        var yes = true
        var no = false
        var doubles: [Double] = [0, -0.0, 1, -1, 1.5, 0.1, 0.2 + 0.1, 1e-7, 1e-300, .leastNonzeroMagnitude, 2.2250738585072014e-308, 1.7976931348623157e308,
                                 123_456_789.123_456_79, 1e15, 1e16, 1e21, 1e22, -3.25e-10, .pi, 1_763_478_000.000_9]
        var floats: [Float] = [0, 1.1, -3.4028235e38, .leastNonzeroMagnitude, 16_777_216]
        var single: Double = 42.125
        var floatField: Float = 0.3
        var missing: String?
        var present: String? = "here"
        var nestedNone: Int?? = .some(nil)
        var nestedSome: Int?? = .some(7)
        var optionalsInArray: [Int?] = [1, nil, 3]
        var emptyArray: [Int] = []
        var emptyObject: [String: Int] = [:]
        var emptyStruct = Empty()
        var nestedArrays: [[[String]]] = [[], [[]], [["a"], ["b", "c"]]]
        var dictionary: [String: [String: Double]] = ["a/b": ["x": 1.5, "\"": -2], "": [:]]
        var intKeyed: [Int: String] = [1: "one", -2: "minus two"]
        var date = Date(timeIntervalSince1970: 1_763_478_000.5)
        var url = URL(string: "https://example.com/a b?q=1")
        var data = Data([0, 1, 2, 250, 255])
        var decimal = Decimal(string: "12345.6789")!
        var choice: Choice = .pair(left: "l", right: 2)
        var choices: [Choice] = [.none, .one("x"), .pair(left: "", right: -1)]
    }

    struct Empty: Codable, Equatable {}

    enum Choice: Codable, Equatable {
        case none
        case one(String)
        case pair(left: String, right: Int)
    }

    @Test("Nasty strings, every integer width, doubles large and tiny, optionals, empty and nested containers: the same JSON as JSONEncoder, decoding back to the value")
    func sameAsFoundation() throws {
        for options: StreamingJSONEncoder.Options in [[], .sortedKeys, .escapingSlashes, [.sortedKeys, .escapingSlashes]] {
            let value = Everything(strings: Self.nastyStrings)
            let (streamed, foundation, bytes) = try Self.both(value, options: options)
            #expect(streamed == foundation, "options \(options.rawValue)")
            // JSON has one null for both nils of `Int??`: it reads back as the outer one, from JSONEncoder's bytes too.
            var expected = value
            expected.nestedNone = nil
            #expect(try JSONDecoder().decode(Everything.self, from: Data(bytes)) == expected)
        }
    }

    @Test("Each nasty string alone, as a top-level fragment and as a key, reads back as itself")
    func strings() throws {
        for string in Self.nastyStrings {
            let (streamed, foundation, bytes) = try Self.both(string)
            #expect(streamed == foundation)
            #expect(streamed == .string(string))
            #expect(!bytes.contains { $0 < 0x20 }, "a raw control character in \(string.debugDescription)")
            let keyed = try Self.both([string: string])
            #expect(keyed.streamed == .object([string: .string(string)]))
        }
    }

    @Test("A character to escape at every offset of a longer string (the scan takes eight bytes at a time) is escaped")
    func escapesAtEveryOffset() throws {
        for special in ["\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "\u{7F}", "é", "🎉"] {
            for offset in 0..<20 {
                let string = String(repeating: "a", count: offset) + special + String(repeating: "b", count: 19 - offset) + special
                for options: StreamingJSONEncoder.Options in [[], .escapingSlashes] {
                    let (streamed, foundation, bytes) = try Self.both(string, options: options)
                    #expect(streamed == foundation)
                    #expect(streamed == .string(string))
                    #expect(!bytes.contains { $0 < 0x20 })
                    #expect(String(decoding: bytes, as: UTF8.self).contains("\\/") == (special == "/" && options.contains(.escapingSlashes)))
                }
            }
        }
    }

    @Test("Slashes are written as they are, or as \\/ with .escapingSlashes; control characters as JSON escapes")
    func escapingSpelling() throws {
        #expect(String(decoding: try StreamingJSONEncoder().encode("</a>"), as: UTF8.self) == "\"</a>\"")
        #expect(String(decoding: try StreamingJSONEncoder(options: .escapingSlashes).encode("</a>"), as: UTF8.self) == #""<\/a>""#)
        #expect(String(decoding: try StreamingJSONEncoder().encode("\"\\\n\t\u{1}"), as: UTF8.self) == #""\"\\\n\t\u0001""#)
    }

    @Test("Numbers are spelled as JSONEncoder spells them")
    func numberSpelling() throws {
        let values: [Double] = [1, -0.0, 1.5, 1e21, 1e-7, .leastNonzeroMagnitude, 1.7976931348623157e308, 0.1 + 0.2]
        for value in values {
            let streamed = String(decoding: try StreamingJSONEncoder().encode(value), as: UTF8.self)
            let foundation = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
            #expect(streamed == foundation)
            #expect(Double(streamed) == value)
        }
        #expect(String(decoding: try StreamingJSONEncoder().encode([Int.min, 0, Int.max]), as: UTF8.self) == "[-9223372036854775808,0,9223372036854775807]")
    }

    struct Holding<Value: Encodable>: Encodable {
        var ok = "fine"
        var value: Value
    }

    @Test("Infinity and NaN throw EncodingError.invalidValue naming where they were, as JSONEncoder does, and leave the buffer as it was")
    func nonFinite() throws {
        for value in [Double.infinity, -.infinity, .nan] {
            #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(value) }
            #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode([1, value]) }
            #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(Float(value)) }
            var bytes = Array("prefix".utf8)
            do {
                try StreamingJSONEncoder().encode(Holding(value: [value]), appendingTo: &bytes)
                Issue.record("\(value) was encoded")
            } catch EncodingError.invalidValue(_, let context) {
                #expect(context.codingPath.map(\.stringValue) == ["value", "Index 0"])
            }
            #expect(bytes == Array("prefix".utf8))
        }
    }

    @Test("appendingTo keeps what the buffer held")
    func appends() throws {
        var bytes = Array("line one\n".utf8)
        try StreamingJSONEncoder().encode(["a": 1], appendingTo: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "line one\n{\"a\":1}")
    }

    /// Nested containers written in place, a second `container(keyedBy:)` on one encoder
    /// (as `SlackBlock.input` hands its encoder to `SlackInput`), super encoders used at once
    /// and left unused, a value that encodes nothing.
    struct Structured: Encodable {
        enum Keys: String, CodingKey { case name, inner, list, base, late, unused, after }
        enum InnerKeys: String, CodingKey { case deep, deeper }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("n", forKey: .name)
            var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try inner.encode(1, forKey: .deep)
            var deeper = inner.nestedUnkeyedContainer(forKey: .deeper)
            try deeper.encode(true)
            var object = deeper.nestedContainer(keyedBy: InnerKeys.self)
            try object.encode("x", forKey: .deep)
            try deeper.encodeNil()
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode("a")
            try Base(tag: "in list").encode(to: list.superEncoder())
            var nestedList = list.nestedUnkeyedContainer()
            try nestedList.encode(2.5)
            try list.encode(Nothing())
            try Base(tag: "super").encode(to: container.superEncoder())
            try Base(tag: "late").encode(to: container.superEncoder(forKey: .late))
            _ = container.superEncoder(forKey: .unused)
            var again = encoder.container(keyedBy: InnerKeys.self)
            try again.encode(3, forKey: .deep)
            try container.encode(Nothing(), forKey: .after)
        }
    }

    struct Base: Encodable {
        var tag: String
    }

    struct Nothing: Encodable {
        func encode(to _: any Encoder) throws {}
    }

    @Test("Nested containers, super encoders (used and not) and a second container on one encoder give JSONEncoder's JSON")
    func structured() throws {
        let (streamed, foundation, bytes) = try Self.both(Structured())
        #expect(streamed == foundation)
        #expect(streamed == (try JSONValue(parsing: Array(#"""
            {"name":"n","inner":{"deep":1,"deeper":[true,{"deep":"x"},null]},"list":["a",{"tag":"in list"},[2.5],{}],
             "super":{"tag":"super"},"late":{"tag":"late"},"unused":{},"deep":3,"after":{}}
            """#.utf8))))
        #expect(bytes.first == UInt8(ascii: "{"))
    }

    /// Writes to a nested container after its parent went on: cannot be streamed.
    struct Interleaving: Encodable {
        enum Keys: String, CodingKey { case first, nested, last }
        enum NestedKeys: String, CodingKey { case a, b }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: NestedKeys.self, forKey: .nested)
            try nested.encode(1, forKey: .a)
            try container.encode("one", forKey: .first)
            try nested.encode(2, forKey: .b)
            try container.encode("end", forKey: .last)
        }
    }

    /// A super encoder kept and written after its parent went on.
    struct KeptSuper: Encodable {
        enum Keys: String, CodingKey { case first, last }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            let kept = container.superEncoder()
            try container.encode("one", forKey: .first)
            try Base(tag: "kept").encode(to: kept)
            try container.encode("end", forKey: .last)
        }
    }

    @Test("Interleaved writes fall back to JSONEncoder: the JSON is JSONEncoder's, nested writes included")
    func interleavedFallsBack() throws {
        let interleaving = try Self.both(Holding(value: Interleaving()))
        #expect(interleaving.streamed == interleaving.foundation)
        #expect(interleaving.streamed == (try JSONValue(parsing: Array(#"{"ok":"fine","value":{"nested":{"a":1,"b":2},"first":"one","last":"end"}}"#.utf8))))
        let kept = try Self.both([KeptSuper()])
        #expect(kept.streamed == kept.foundation)
        #expect(kept.streamed == (try JSONValue(parsing: Array(#"[{"super":{"tag":"kept"},"first":"one","last":"end"}]"#.utf8))))
        var bytes = Array("keep ".utf8)
        try StreamingJSONEncoder().encode(Interleaving(), appendingTo: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("keep {"))
        #expect(try JSONValue(parsing: bytes.dropFirst(5)) == interleaving.foundation.member("value"))
    }

    /// Two values through one single-value container: JSONEncoder traps on this.
    struct TwoValues: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(1)
            try container.encode(2)
        }
    }

    @Test("A second value through a single-value container throws instead of writing bad JSON")
    func twoSingleValues() {
        #expect(throws: EncodingError.self) { try StreamingJSONEncoder().encode(Holding(value: TwoValues())) }
    }

    @Test("Sorted keys: the bytes are JSONEncoder's with .sortedKeys, at every depth")
    func sortedKeysBytes() throws {
        let value = ["zeta": ["b": 1, "a": 2], "alpha": ["y": 3, "x": 4], "mid": [:]]
        let streamed = try StreamingJSONEncoder(options: .sortedKeys).encode(value)
        #expect(String(decoding: streamed, as: UTF8.self) == #"{"alpha":{"x":4,"y":3},"mid":{},"zeta":{"a":2,"b":1}}"#)
        #expect(streamed == Array(try StreamingJSONEncoder(options: .sortedKeys).foundationEncoder.encode(value)))
    }
}

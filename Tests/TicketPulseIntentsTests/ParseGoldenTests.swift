import Foundation
import Testing
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseIntents

/// Every field of every reading, pinned: the parser's speed-ups (issue 15) must leave each
/// result exactly as it was, which the accuracy floors (a percentage) and `jsonLine` (two
/// decimals, no readings) would not notice. The fixture holds a hash of the rendering of
/// `parse(_:now:)`, `parse(_:now:within:)` over three books and `readings(_:now:)` for every
/// development-set message and catalogue utterance, over the demo roster, and `parse` over a
/// 5,000-customer roster beside it for the development set.
///
/// To record it again after a change that is meant to change readings:
/// `TICKETPULSE_RECORD_PARSE_GOLDEN=1 swift test --filter ParseGoldenTests`, and review the diff.
@Suite("Parse results pinned")
struct ParseGoldenTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/parse-golden.txt")

    /// One line per message: the message, then a hash of the rendering of each way it is
    /// read (`GoldenRendering`), with the renderings themselves beside it for a failure to show.
    static func lines() throws -> [(line: String, renderings: [String])] {
        let now = SharedModel.reference
        let parser = SharedModel.demoParser()
        let books = ScopedParseTests.books()
        var lines: [(line: String, renderings: [String])] = []
        func add(_ prefix: String, _ message: String, _ renderings: [String]) {
            lines.append((([prefix + String(reflecting: message)] + renderings.map(GoldenRendering.hash)).joined(separator: " "), renderings))
        }
        for message in try ScopedParseTests.messages() {
            var renderings = [GoldenRendering.render(parser.parse(message, now: now))]
            for book in books {
                let (parsed, outside) = parser.parse(message, now: now, within: book)
                renderings.append(GoldenRendering.render(parsed) + " outside=\(outside.sorted())")
            }
            renderings.append(GoldenRendering.render(parser.readings(message, now: now)))
            add("", message, renderings)
        }
        // A large roster: the fuzzy matching compares against thousands of keys.
        let large = SyntheticRoster(customerCount: 5_000, customersPerCSM: 50, now: now)
        let largeParser = IntentParser(model: SharedModel.model,
                                       customers: CustomerDirectory(customers: DemoRoster.customers(now: now) + large.customers, people: large.staff))
        for message in try DevSetAccuracyTests.examples().map(\.text) + ["show support tickets for Bench Customer 100", "open tickets at bench customr 4242"] {
            add("large ", message, [GoldenRendering.render(largeParser.parse(message, now: now))])
        }
        return lines
    }

    @Test("Every message parses exactly as recorded")
    func unchanged() throws {
        let lines = try Self.lines()
        if ProcessInfo.processInfo.environment["TICKETPULSE_RECORD_PARSE_GOLDEN"] == "1" {
            try (lines.map(\.line).joined(separator: "\n") + "\n").write(to: Self.fixture, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOf: Self.fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == recorded.count)
        var differing = 0
        for (line, expected) in zip(lines, recorded) where line.line != expected {
            differing += 1
            // The first few in full: enough to see what changed without drowning the log.
            if differing <= 5 { Issue.record("parsed differently:\n  recorded: \(expected)\n  now:      \(line.line)\n  \(line.renderings.joined(separator: "\n  "))") }
        }
        #expect(differing == 0)
    }
}

/// A complete, deterministic text of any value: every stored property by name (nil ones
/// left out), doubles and dates to the last bit, sets and dictionaries in sorted order.
enum GoldenRendering {
    /// FNV-1a of the rendering's bytes, in hex: the fixture holds the hashes, a few hundred
    /// kilobytes rather than megabytes of renderings.
    static func hash(_ rendering: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in rendering.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    static func render(_ value: Any) -> String {
        switch value {
        case let date as Date: return "@\(date.timeIntervalSince1970)"
        case let double as Double: return "\(double)"
        case let string as String: return String(reflecting: string)
        case let substring as Substring: return String(reflecting: String(substring))
        default: break
        }
        let mirror = Mirror(reflecting: value)
        let children = mirror.children.map { (label: $0.label, value: $0.value) }
        switch mirror.displayStyle {
        case .optional:
            return children.first.map { render($0.value) } ?? "nil"
        case .collection:
            return "[" + children.map { render($0.value) }.joined(separator: ",") + "]"
        case .set:
            return "{" + children.map { render($0.value) }.sorted().joined(separator: ",") + "}"
        case .dictionary:
            return "[" + children.map { render($0.value) }.sorted().joined(separator: ",") + "]"
        case .enum:
            guard let payload = children.first else { return "\(value)" }
            return "\(payload.label ?? "?")(\(render(payload.value)))"
        case .struct, .class, .tuple:
            let fields = children.compactMap { child -> String? in
                let rendered = render(child.value)
                return rendered == "nil" ? nil : "\(child.label ?? "_"):\(rendered)"
            }
            return "\(mirror.displayStyle == .tuple ? "" : String(describing: type(of: value)))(" + fields.joined(separator: ",") + ")"
        default:
            return "\(value)"
        }
    }
}

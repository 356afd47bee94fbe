import Foundation
import Testing
import TicketPulseIntents

/// The one-line JSON of `ticketpulse parse`, as ../shared/INTENTS.md specifies it.
@Suite("parse --json shape")
struct ParseJSONTests {
    static func json(_ message: String) throws -> [String: Any] {
        let line = SharedModel.demoParser().parse(message, now: SharedModel.reference).jsonLine()
        #expect(!line.contains("\n"))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("Intent, confidence, slots and alternatives; absent slots left out")
    func shape() throws {
        let object = try Self.json("show open P1s at Globex this month")
        #expect(Set(object.keys) == ["intent", "confidence", "slots", "alternatives"])
        #expect(object["intent"] as? String == "list_tickets")
        let confidence = try #require(object["confidence"] as? Double)
        #expect(confidence > 0.3 && confidence <= 1)
        let slots = try #require(object["slots"] as? [String: Any])
        #expect(Set(slots.keys) == ["customer", "status", "priority", "period"])
        let customer = try #require(slots["customer"] as? [String: Any])
        #expect(customer["id"] as? String == "cus_globex")
        #expect(customer["name"] as? String == "Globex Corporation")
        #expect(customer["score"] as? Double == 1)
        #expect(slots["status"] as? String == "unresolved")
        #expect(slots["priority"] as? [String] == ["P1"])
        let period = try #require(slots["period"] as? [String: String])
        #expect(period == ["start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z", "text": "this month"])
        for alternative in try #require(object["alternatives"] as? [[String: Any]]) {
            #expect(Set(alternative.keys) == ["intent", "confidence"])
        }
    }

    @Test("Two close customers give slots.customer.candidates")
    func candidates() throws {
        let slots = try #require(try Self.json("support health for stark")["slots"] as? [String: Any])
        let customer = try #require(slots["customer"] as? [String: Any])
        #expect(customer["id"] == nil)
        let candidates = try #require(customer["candidates"] as? [[String: Any]])
        #expect(candidates.compactMap { $0["id"] as? String } == ["cus_stark", "cus_stark_logistics"])
        #expect(candidates.allSatisfy { $0["name"] is String && $0["score"] is Double })
    }

    @Test("Targets: me, a channel by id, a channel by name; thresholds are numbers; free text kept in its case")
    func otherSlots() throws {
        let me = try #require(try Self.json("alert me on escalations")["slots"] as? [String: Any])
        #expect(me["target"] as? String == "me")
        #expect(me["feed"] as? String == "escalations")
        let channel = try #require(try Self.json("subscribe <#C0ESC0001|cs-escalations> to spike alerts")["slots"] as? [String: Any])
        #expect(channel["target"] as? String == "C0ESC0001")
        let named = try #require(try Self.json("what does #cs-escalations get?")["slots"] as? [String: Any])
        #expect(named["target"] as? String == "#cs-escalations")
        let threshold = try #require(try Self.json("which customers are below 3.5 on CSAT?")["slots"] as? [String: Any])
        #expect(threshold["threshold"] as? Double == 3.5)
        let note = try #require(try Self.json("add note to 4521: Customer called, workaround shared")["slots"] as? [String: Any])
        #expect(note["ticket"] as? String == "4521")
        #expect(note["text"] as? String == "Customer called, workaround shared")
    }

    @Test("Out of scope: no slots, never a guess")
    func outOfScope() throws {
        let object = try Self.json("book me a flight to Chicago")
        #expect(object["intent"] as? String == "out_of_scope")
        #expect((object["slots"] as? [String: Any])?.isEmpty == true)
    }

    /// The `$ ticketpulse parse --now … "message"` lines of docs/NLU.md's contract section,
    /// each with the JSON line printed under it.
    static func documentedExamples() throws -> [(now: Date, message: String, json: [String: Any])] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/NLU.md").standardized
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        var examples: [(Date, String, [String: Any])] = []
        for (index, line) in lines.enumerated() {
            guard let match = line.wholeMatch(of: #/\$ ticketpulse parse --now (\S+) "(.+)"/#), index + 1 < lines.count else { continue }
            let now = try #require(ISO8601DateFormatter().date(from: String(match.1)))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(lines[index + 1].utf8)) as? [String: Any], "no JSON line after \(line)")
            examples.append((now, String(match.2), json))
        }
        return examples
    }

    @Test("docs/NLU.md's parse --json examples are what the parser prints: the intent and every slot, exactly")
    func documentedContract() throws {
        let examples = try Self.documentedExamples()
        #expect(examples.count >= 7)
        let parser = SharedModel.demoParser()
        for (now, message, documented) in examples {
            let line = parser.parse(message, now: now).jsonLine()
            let printed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(Set(printed.keys) == Set(documented.keys), "\(message)")
            #expect(printed["intent"] as? String == documented["intent"] as? String, "\(message)")
            let printedSlots = try #require(printed["slots"] as? NSDictionary)
            let documentedSlots = try #require(documented["slots"] as? NSDictionary)
            #expect(printedSlots == documentedSlots, "\(message): prints \(line)")
        }
    }
}

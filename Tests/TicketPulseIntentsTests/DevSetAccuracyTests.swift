import Foundation
import Testing
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseIntents

/// The labelled development set: 414 messages written apart from `intents/`, scored for
/// intent accuracy and slot accuracy. The floors may be raised, never lowered.
@Suite("Development set accuracy")
struct DevSetAccuracyTests {
    static let now = ISO8601DateFormatter().date(from: "2026-11-18T15:00:00Z")!
    // Raised from 95% / 92%: a regex change that cost 28 slots (98.4% → 93.0%) passed the
    // old slot floor unnoticed. The floors may be raised, never lowered.
    static let intentFloor = 0.97
    static let slotFloor = 0.97

    struct Example {
        var text: String
        var intent: String
        var slots: [String: Any]
    }

    static func examples() throws -> [Example] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/devset.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Example(text: object["text"] as! String, intent: object["intent"] as! String, slots: object["slots"] as? [String: Any] ?? [:])
        }
    }

    static func parser() throws -> IntentParser {
        SharedModel.demoParser()
    }

    /// The predicted slots in the devset's JSON shape, restricted to what the labels cover.
    static func predicted(_ parsed: ParsedMessage) -> [String: String] {
        let json = try! JSONSerialization.jsonObject(with: Data(parsed.jsonLine().utf8)) as! [String: Any]
        var slots = json["slots"] as! [String: Any]
        if ![IntentName.addNote, .requestEscalation, .draftOutreach].contains(parsed.intent) { slots["text"] = nil }
        if parsed.intent == .notificationSettings { slots["period"] = nil; slots["text"] = nil }
        return slots.mapValues(canonical)
    }

    static func canonical(_ value: Any) -> String {
        if let object = value as? [String: Any] {
            if let candidates = object["candidates"] as? [Any] {
                return "candidates:" + candidates.map { ($0 as? [String: Any])?["id"] as? String ?? "\($0)" }.sorted().joined(separator: ",")
            }
            if let id = object["id"] as? String { return id }
            if let start = object["start"] as? String, let end = object["end"] as? String { return start + "/" + end }
        }
        if let array = value as? [Any] {
            if array.allSatisfy({ $0 is String }) && (array.first as? String)?.hasPrefix("cus_") == true {
                return "candidates:" + array.map { "\($0)" }.sorted().joined(separator: ",")
            }
            return array.map { "\($0)" }.joined(separator: ",")
        }
        if let number = value as? NSNumber, !(value is String) { return String(format: "%g", number.doubleValue) }
        return "\(value)"
    }

    @Test("Intent accuracy ≥ 97% and slot accuracy ≥ 97% on the development set")
    func accuracy() throws {
        let parser = try Self.parser()
        var intentsRight = 0, slotsRight = 0, slotsTotal = 0
        var failures: [String] = []
        let examples = try Self.examples()
        for example in examples {
            let parsed = parser.parse(example.text, now: Self.now)
            if parsed.intent.rawValue == example.intent { intentsRight += 1 } else {
                failures.append("INTENT \(example.text) — expected \(example.intent), got \(parsed.intent.rawValue) (\(String(format: "%.2f", parsed.confidence)))")
            }
            let expected = example.slots.mapValues(Self.canonical)
            let got = Self.predicted(parsed)
            for key in Set(expected.keys).union(got.keys) {
                slotsTotal += 1
                if expected[key] == got[key] { slotsRight += 1 } else {
                    failures.append("SLOT \(key) \(example.text) — expected \(expected[key] ?? "none"), got \(got[key] ?? "none")")
                }
            }
        }
        let intentAccuracy = Double(intentsRight) / Double(examples.count)
        let slotAccuracy = Double(slotsRight) / Double(max(1, slotsTotal))
        print("devset: \(examples.count) messages, intent accuracy \(String(format: "%.3f", intentAccuracy)), slot accuracy \(String(format: "%.3f", slotAccuracy)) (\(slotsRight)/\(slotsTotal))")
        if intentAccuracy < Self.intentFloor || slotAccuracy < Self.slotFloor || ProcessInfo.processInfo.environment["DEVSET_VERBOSE"] != nil {
            print(failures.joined(separator: "\n"))
        }
        #expect(examples.count >= 300)
        #expect(intentAccuracy >= Self.intentFloor)
        #expect(slotAccuracy >= Self.slotFloor)
    }
}

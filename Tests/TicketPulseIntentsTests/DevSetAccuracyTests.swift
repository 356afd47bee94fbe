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
    // old slot floor unnoticed; raised again to 98% when both measured 99.3% (issue 14). The
    // floors may be raised, never lowered.
    static let intentFloor = 0.98
    static let slotFloor = 0.98

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

    @Test("Intent accuracy ≥ 98% and slot accuracy ≥ 98% on the development set")
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

    // MARK: The fresh development set

    /// `Fixtures/devset-fresh.jsonl`: messages written for issue 14 in other people's
    /// styles (openers, rambling, shorthand, negation, near-miss actions), never trained on:
    /// nothing in `intents/` is copied from it. Intent labels only.
    // Issue 14's targets are 92%, 90% and 3%; the floors sit a little under what is measured
    // (98.5%, 96.7%, 0%) so that nothing regresses. Raise them, never lower them.
    static let freshAccuracyFloor = 0.96
    static let freshOutOfScopeRecallFloor = 0.93
    static let freshRefusedCeiling = 0.02

    static func freshExamples() throws -> [Example] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/devset-fresh.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Example(text: object["text"] as! String, intent: object["intent"] as! String, slots: [:])
        }
    }

    /// Intent accuracy, out-of-scope recall, the share of in-scope messages refused, and the
    /// confusion (expected → chosen, with counts), as docs/NLU.md reports them.
    struct Figures {
        var count = 0, right = 0, outOfScope = 0, outOfScopeCaught = 0, inScope = 0, refused = 0
        var confusion: [String: Int] = [:]
        var perIntent: [String: (right: Int, total: Int)] = [:]
        var accuracy: Double { Double(right) / Double(max(1, count)) }
        var outOfScopeRecall: Double { Double(outOfScopeCaught) / Double(max(1, outOfScope)) }
        var refusedRate: Double { Double(refused) / Double(max(1, inScope)) }
    }

    static func figures(_ examples: [Example], parser: IntentParser) -> (Figures, [String]) {
        var figures = Figures()
        var failures: [String] = []
        for example in examples {
            let parsed = parser.parse(example.text, now: now)
            let got = parsed.intent.rawValue
            figures.count += 1
            var entry = figures.perIntent[example.intent] ?? (0, 0)
            entry.total += 1
            if got == example.intent { figures.right += 1; entry.right += 1 } else {
                figures.confusion["\(example.intent) → \(got)", default: 0] += 1
                failures.append("\(example.intent) → \(got) (\(String(format: "%.2f", parsed.confidence))): \(example.text)")
            }
            figures.perIntent[example.intent] = entry
            if example.intent == IntentName.outOfScope.rawValue {
                figures.outOfScope += 1
                if got == example.intent { figures.outOfScopeCaught += 1 }
            } else {
                figures.inScope += 1
                if parsed.intent == .outOfScope { figures.refused += 1 }
            }
        }
        return (figures, failures)
    }

    @Test("Fresh development set: intent accuracy ≥ 96%, out-of-scope recall ≥ 93%, in-scope refused ≤ 2%")
    func freshAccuracy() throws {
        let examples = try Self.freshExamples()
        let (figures, failures) = Self.figures(examples, parser: try Self.parser())
        print(String(format: "devset-fresh: %d messages, intent accuracy %.3f (%d/%d), out-of-scope recall %.3f (%d/%d), in-scope refused %.3f (%d/%d)",
                     figures.count, figures.accuracy, figures.right, figures.count, figures.outOfScopeRecall, figures.outOfScopeCaught, figures.outOfScope,
                     figures.refusedRate, figures.refused, figures.inScope))
        for (intent, entry) in figures.perIntent.sorted(by: { $0.key < $1.key }) { print("  \(intent): \(entry.right)/\(entry.total)") }
        for (pair, count) in figures.confusion.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("  confused \(pair): \(count)") }
        if ProcessInfo.processInfo.environment["DEVSET_VERBOSE"] != nil { print(failures.joined(separator: "\n")) }
        #expect(examples.count >= 150)
        // Every intent of the catalogue is in the set.
        #expect(Set(examples.map(\.intent)) == Set(IntentName.allCases.map(\.rawValue)))
        #expect(figures.accuracy >= Self.freshAccuracyFloor)
        #expect(figures.outOfScopeRecall >= Self.freshOutOfScopeRecallFloor)
        #expect(figures.refusedRate <= Self.freshRefusedCeiling)
    }

    @Test("No out-of-scope message of either set becomes a write intent")
    func noWriteForOutOfScope() throws {
        let parser = try Self.parser()
        let writes: Set<IntentName> = [.addNote, .requestEscalation, .subscribe, .unsubscribe, .notificationSettings]
        for example in try Self.examples() + Self.freshExamples() where example.intent == IntentName.outOfScope.rawValue {
            let parsed = parser.parse(example.text, now: Self.now)
            #expect(!writes.contains(parsed.intent), "\(example.text) → \(parsed.intent.rawValue)")
        }
    }
}

import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage

// Issue 15: what one answer's JSON costs, Foundation's JSONEncoder against StreamingJSONEncoder.
// Answers four common questions over the demo store, renders them as `serve` posts them
// (BlockKitRenderer, with the "more" button), and encodes each message `rounds` times (default
// 20,000) with both encoders, then each button's AnswerRequest value. Passes alternate between
// the encoders (three each) so both meet the same load; the best pass counts.
//   cd Benchmarks && swift build -c release --product json-encode --scratch-path S && S/release/json-encode [rounds]
let rounds = max(1, CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20_000)
let now = Date(timeIntervalSince1970: 1_795_428_000)
let store = try SQLiteStore()
let customers = DemoRoster.customers(now: now)
try store.upsertCSMs(DemoRoster.staff)
try store.upsertCustomers(customers)
try DemoDataGenerator(seed: 2026).generate(customers: customers, now: now) { try store.upsert($0, at: now) }
let asker = DemoRoster.staff[2]
let own = customers.filter { $0.csmEmail == asker.email }.map(\.name)
let engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: customers))
let renderer = BlockKitRenderer()
var messages: [(String, SlackMessage)] = []
for question in ["show support tickets for \(own[0])", "show me support metrics for \(own[1])", "which customers have low CSAT?", "portfolio summary"] {
    let reply = try await engine.answer(question, asker: asker, now: now).reply
    messages.append((question, renderer.message(reply, moreActionValue: "more")))
}
let requests = messages.flatMap { $0.1.blocks }.flatMap { block -> [AnswerRequest] in
    guard case .actions(_, let buttons, _) = block else { return [] }
    return buttons.compactMap { $0.value.flatMap(AnswerRequest.init(encoded:)) }
}

let clock = ContinuousClock()
/// Nanoseconds per call of `encode`, the best of three passes of `rounds` calls.
func best(_ encode: () throws -> Int) rethrows -> Double {
    var fastest = Double.infinity
    var sink = 0
    for _ in 0..<3 {
        let start = clock.now
        for _ in 0..<rounds { sink &+= try encode() }
        let elapsed = clock.now - start
        fastest = min(fastest, Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
    }
    precondition(sink != 0)
    return fastest / Double(rounds)
}

func compare<T: Encodable>(_ label: String, _ value: T, foundation: JSONEncoder, streaming: StreamingJSONEncoder) throws {
    let size = try streaming.encode(value).count
    // Alternating passes: load from other processes falls on both encoders.
    var before = Double.infinity, after = Double.infinity
    for _ in 0..<2 {
        before = min(before, try best { try foundation.encode(value).count })
        after = min(after, try best { try streaming.encode(value).count })
    }
    print(String(format: "%@: %d bytes, JSONEncoder %.0f ns, StreamingJSONEncoder %.0f ns per encode (%.1f×)", label, size, before, after, before / after))
}

let plain = JSONEncoder()
plain.outputFormatting = [.withoutEscapingSlashes]
for (question, message) in messages {
    try compare("\"\(question)\" (\(message.blocks.count) blocks)", message, foundation: plain, streaming: StreamingJSONEncoder())
}
let sorted = JSONEncoder()
sorted.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
if let request = requests.first {
    try compare("AnswerRequest button value (\(requests.count) in these answers)", request, foundation: sorted, streaming: StreamingJSONEncoder(options: .sortedKeys))
}

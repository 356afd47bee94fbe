import BenchmarkSupport
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents

// Parses a set of messages N times (default 2,000) after start-up, for profiling with
// `perf record` or callgrind: `swift run -c release parse-profile 2000`. Start-up is timed
// from scratch (catalogue read, model trained, customers indexed), as the benchmark does.
// Three lines: the messages parsed over the demo roster, the same read within the asker's
// book (`parse(_:now:within:)`, what `serve` runs), and loadgen's questions over a
// 5,000-customer roster within a 50-customer book.
let rounds = max(1, CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2_000)
let clock = ContinuousClock()
guard let directory = IntentCatalogue.locateDirectory(explicit: nil) else { throw ParserLoadingError.intentsNotFound }
let customers = DemoRoster.customers(now: BenchmarkStore.now)

let started = clock.now
let catalogue = try IntentCatalogue.load(directory: directory)
let loaded = clock.now
let model = IntentModel(catalogue: catalogue)
let trained = clock.now
let parser = IntentParser(model: model, customers: CustomerDirectory(customers: customers))
let ready = clock.now
print("start-up \(ready - started) (catalogue \(loaded - started), model \(trained - loaded), customers \(ready - trained))")

/// The question templates of the Bolt peer's loadgen (`../shared/peers/bolt/loadgen.py`),
/// with a customer's name and its first alias (the name when it has none).
func loadgenQuestions(_ customers: [Customer]) -> [String] {
    customers.flatMap { customer in
        let alias = customer.aliases.first ?? customer.name
        return ["show support tickets for \(customer.name)", "open tickets at \(alias)",
                "show me support metrics for \(customer.name)", "what are the support metrics for \(customer.name)?"]
    }
}

let messages = ["show support tickets for Acme", "<@U0BOT0001> open P1s at globex.com this month", "which customers have low CSAT?",
                "add note to 4521: customer called back", "subscribe #cs-escalations to escalation alerts", "whats the wether"]
    + loadgenQuestions(customers)

/// Times `parse` of message `index % count`, for `rounds` indices.
func measure(_ label: String, count: Int, _ parse: (Int) -> Void) {
    var durations: [Duration] = []
    durations.reserveCapacity(rounds)
    for index in 0..<rounds {
        let before = clock.now
        parse(index % count)
        durations.append(clock.now - before)
    }
    let sorted = durations.sorted()
    func percentile(_ fraction: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
    let total = durations.reduce(Duration.zero, +)
    print("\(label): mean \(total / rounds), p50 \(percentile(0.50)), p90 \(percentile(0.90)), p99 \(percentile(0.99)), max \(sorted.last!) per message")
}

measure("parse", count: messages.count) { _ = parser.parse(messages[$0], now: BenchmarkStore.now) }
// Loadgen asks each question as the customer's CSM: within that CSM's book. The fixed
// messages are asked by the first customer's CSM.
let books = Dictionary(grouping: customers, by: { $0.csmEmail ?? "" }).mapValues { Set($0.map(\.id)) }
let askers = Array(repeating: customers[0], count: 6) + customers.flatMap { Array(repeating: $0, count: 4) }
let bookOfMessage = askers.map { books[$0.csmEmail ?? ""]! }
measure("parse within a book", count: messages.count) { _ = parser.parse(messages[$0], now: BenchmarkStore.now, within: bookOfMessage[$0]) }
let large = SyntheticRoster(customerCount: 5_000, customersPerCSM: 50, now: BenchmarkStore.now)
let largeParser = IntentParser(model: model, customers: CustomerDirectory(customers: large.customers, people: large.staff))
let largeBook = Set(large.customers.prefix(50).map(\.id))
let largeQuestions = loadgenQuestions(Array(large.customers.prefix(50)))
measure("5,000 customers, within a book", count: largeQuestions.count) { _ = largeParser.parse(largeQuestions[$0], now: BenchmarkStore.now, within: largeBook) }

import BenchmarkSupport
import Foundation
import TicketPulseAnswers
import TicketPulseDemo
import TicketPulseIntents

// Parses a set of messages N times (default 2,000) after start-up, for profiling with
// `perf record` or callgrind: `swift run -c release parse-profile 2000`. Start-up is timed
// from scratch (catalogue read, model trained, customers indexed), as the benchmark does.
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

let messages = ["show support tickets for Acme", "<@U0BOT0001> open P1s at globex.com this month", "which customers have low CSAT?",
                "add note to 4521: customer called back", "subscribe #cs-escalations to escalation alerts", "whats the wether"]
var durations: [Duration] = []
durations.reserveCapacity(rounds)
for index in 0..<rounds {
    let before = clock.now
    _ = parser.parse(messages[index % messages.count], now: BenchmarkStore.now)
    durations.append(clock.now - before)
}
let sorted = durations.sorted()
func percentile(_ fraction: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
let total = durations.reduce(Duration.zero, +)
print("parse: mean \(total / rounds), p50 \(percentile(0.50)), p90 \(percentile(0.90)), p99 \(percentile(0.99)), max \(sorted.last!) per message")

import BenchmarkSupport
import Foundation
import TicketPulseAnswers
import TicketPulseDemo
import TicketPulseIntents

// Parses a set of messages N times (default 2,000) after start-up, for profiling with
// `perf record` or callgrind: `swift run -c release parse-profile 2000`.
let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 2_000
let clock = ContinuousClock()
let started = clock.now
let parser = try IntentParser.load(customers: DemoRoster.customers(now: BenchmarkStore.now))
print("start-up \(clock.now - started)")
let messages = ["show support tickets for Acme", "<@U0BOT0001> open P1s at globex.com this month", "which customers have low CSAT?",
                "add note to 4521: customer called back", "subscribe #cs-escalations to escalation alerts", "whats the wether"]
let parsing = clock.now
for index in 0..<rounds {
    _ = parser.parse(messages[index % messages.count], now: BenchmarkStore.now)
}
print("parse: \((clock.now - parsing) / rounds) per message")

import Benchmark
import BenchmarkSupport
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

/// Questions a CSM of the benchmark store asks, one per common intent.
let benchmarkQuestions = [
    "show support tickets for Bench Customer 7",
    "open P1s at Bench Customer 12",
    "show me support metrics for Bench Customer 3",
    "what's the support health for Bench Customer 5?",
    "are there any escalated tickets?",
    "which customers have low CSAT scores?",
    "how is CSAT trending for Bench Customer 9?",
    "which tickets are breaching SLA?",
    "what are the top support issues this month?",
    "how are my accounts doing?",
]

func registerAskBenchmarks() {
    // Issue 3: start-up with all intents < 200 ms.
    Benchmark("Parser start-up (all intents, 24 customers)") { benchmark in
        // Loading and training from scratch: `IntentParser.load` would answer from its
        // process-wide cache after the first iteration.
        let customers = DemoRoster.customers(now: BenchmarkStore.now)
        guard let directory = IntentCatalogue.locateDirectory(explicit: nil) else { throw ParserLoadingError.intentsNotFound }
        for _ in benchmark.scaledIterations {
            blackHole(IntentParser(catalogue: try IntentCatalogue.load(directory: directory), customers: CustomerDirectory(customers: customers)))
        }
    }

    // Issue 3: parse one message p99 < 1 ms after start-up.
    Benchmark("Parse one message", configuration: .init(timeUnits: .microseconds, maxIterations: 5_000)) { benchmark, parser in
        let messages = ["show support tickets for Acme", "<@U0BOT0001> open P1s at globex.com this month", "which customers have low CSAT?",
                        "add note to 4521: customer called back", "subscribe #cs-escalations to escalation alerts", "whats the wether"]
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(parser.parse(messages[index % messages.count], now: BenchmarkStore.now))
            index += 1
        }
    } setup: {
        try IntentParser.load(customers: DemoRoster.customers(now: BenchmarkStore.now))
    }

    // Issue 3: `ask` end to end over a 1,000,000-ticket store, p95 < 20 ms per question.
    Benchmark("Ask end to end, 1M-ticket store (10 questions, CSM with 50 customers)", configuration: .init(maxIterations: 300)) { benchmark, engine in
        let asker = BenchmarkStore.roster.staff[1]
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(try await engine.answer(benchmarkQuestions[index % benchmarkQuestions.count], asker: asker, now: BenchmarkStore.now))
            index += 1
        }
    } setup: { () throws -> AnswerEngine in
        let store = try BenchmarkStore.shared()
        return AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
    }
}

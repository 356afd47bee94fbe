import BenchmarkSupport
import Foundation
import TicketPulseAnswers
import TicketPulseCore
import TicketPulseIntents
import TicketPulseSQLite
import TicketPulseStorage

// Issue 15: `ask` over the 1M-ticket store, p95 < 10 ms per question for the 25 questions a
// 50-customer CSM asks most (one per common intent and wording, about their own accounts).
// Each round asks all 25 in order; the first round is a warm-up and is not counted.
//   swift run -c release ask-profile [rounds] [store path]
// The store defaults to the one `bulk-load 1000000` leaves in $TMPDIR. With
// ASK_PROFILE_ANSWERS=FILE the warm-up round's answers (text and the customers shown) are
// written there, so that a change can be checked to answer exactly as before.
let rounds = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20
let path = CommandLine.arguments.dropFirst(2).first ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/ticketpulse-bulk-load.sqlite"
let store = try SQLiteStore(path: path)
let asker = BenchmarkStore.roster.staff[1]
let own = try store.customers(ids: try store.customerIDs(visibleTo: asker))
precondition(own.count >= 5, "the asker \(asker.email) has \(own.count) customers in \(path)")
let names = own.prefix(5).map(\.name)
let allQuestions = [
    "show support tickets for \(names[0])", "open tickets at \(names[1])", "show me the open tickets for \(names[2])",
    "open P1s at \(names[3])", "any urgent tickets for \(names[4])?",
    "show me support metrics for \(names[0])", "support metrics for \(names[1]) this quarter", "what are the support metrics for \(names[2])?",
    "what's the support health for \(names[3])?", "how is \(names[4]) doing?",
    "are there any escalated tickets?", "escalations at \(names[0])",
    "which customers have low CSAT scores?", "how is CSAT trending for \(names[1])?", "csat for \(names[2]) over the last 90 days",
    "which tickets are breaching SLA?", "sla breaches at \(names[3])",
    "what are the top support issues this month?", "top issues for \(names[4])",
    "any ticket spikes?", "how are my accounts doing?", "portfolio summary",
    "compare \(names[0]) and \(names[1])", "tickets for \(names[2]) since monday", "what changed at \(names[3]) in the last 7 days",
]
// ASK_PROFILE_ONLY=WORDS keeps the questions containing WORDS, to profile them alone.
let questions = ProcessInfo.processInfo.environment["ASK_PROFILE_ONLY"].map { only in allQuestions.filter { $0.contains(only) } } ?? allQuestions
let engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
var timings: [[Double]] = Array(repeating: [], count: questions.count)
let answersFile = ProcessInfo.processInfo.environment["ASK_PROFILE_ANSWERS"]
var answers = ""
let clock = ContinuousClock()
for round in 0...rounds {
    for (index, question) in questions.enumerated() {
        let start = clock.now
        let answer = try await engine.answer(question, asker: asker, now: BenchmarkStore.now)
        let elapsed = clock.now - start
        if round == 0, answersFile != nil {
            answers += "## \(question)\nshown: \(answer.customersShown.joined(separator: ","))\n\(TextRenderer().render(answer.reply))\n\n"
        }
        if round > 0 { timings[index].append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
    }
}
if let answersFile { try answers.write(toFile: answersFile, atomically: true, encoding: .utf8) }
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}
let all = timings.flatMap { $0 }
print(String(format: "all %d answers: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", all.count, percentile(all, 0.5), percentile(all, 0.95), percentile(all, 0.99), all.max()!))
for (index, question) in questions.enumerated() {
    print(String(format: "  p50 %6.2f  p95 %6.2f ms  %@", percentile(timings[index], 0.5), percentile(timings[index], 0.95), question))
}

import Foundation
import Testing
import TicketPulseAnswers
@testable import TicketPulseCore
import TicketPulseDemo
import TicketPulseIntents
@testable import TicketPulseServer
@testable import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage

/// `StreamingJSONEncoder` on what it encodes in `serve`: every intent's catalogue questions
/// answered over the demo store and rendered as chat.postMessage, chat.update, response_url
/// and views.publish bodies; the buttons' `AnswerRequest` values; the job journal's records.
/// Each must be the JSON `JSONEncoder` gives, and decode back to itself.
@Suite("Streaming JSON encoder on real values")
struct StreamingJSONCorpusTests {
    static func expectSame<T: Encodable>(_ value: T, options: StreamingJSONEncoder.Options = [], _ comment: String,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws {
        let encoder = StreamingJSONEncoder(options: options)
        let streamed = try JSONValue(parsing: try encoder.encode(value))
        let foundation = try JSONValue(parsing: try encoder.foundationEncoder.encode(value))
        #expect(streamed == foundation, "\(comment)", sourceLocation: sourceLocation)
    }

    /// Each catalogue intent's first utterances, their slot marks replaced by the text.
    static func questions() throws -> [String] {
        let directory = try #require(IntentCatalogue.locateDirectory(explicit: nil))
        let marked = #/\[([a-z_]+)\]\(([^)]*)\)/#
        return try IntentCatalogue.load(directory: directory).intents.flatMap { intent in
            intent.utterances.prefix(3).map { $0.replacing(marked) { String($0.2) } }
        }
    }

    /// Rendered answers with the questions that gave them, asked by a CSM and a manager.
    static func replies() async throws -> [(question: String, reply: Reply)] {
        let store = try await WebHarness.makeStore()
        let engine = AnswerEngine(store: store, parser: try IntentParser.load(customers: try store.customers()))
        var replies: [(String, Reply)] = []
        for question in try questions() + ["show support tickets for Acme \"</script>\" \\ \n 🎉"] {
            for asker in [DemoRoster.staff[2], DemoRoster.staff[1]] {
                replies.append((question, try await engine.answer(question, asker: asker, now: WebHarness.now).reply))
            }
        }
        return replies
    }

    @Test("Every rendered answer, as each Slack body that carries it, is the JSON JSONEncoder gives; its buttons' request values too")
    func renderedAnswers() async throws {
        let renderer = BlockKitRenderer()
        let replies = try await Self.replies()
        var buttonValues = 0
        for (index, (question, reply)) in replies.enumerated() {
            for message in [renderer.message(reply, moreActionValue: "{\"q\":\"more\"}"), renderer.message(reply, expandTables: true)] {
                let metadata = SlackMessageMetadata(eventType: SlackJobHandler.answerMetadataType, eventPayload: ["key": "Ev\(index)/\(question)"])
                try Self.expectSame(MessageBody(channel: "C0ESC0001", message: message, threadTS: "1763478000.000100", metadata: metadata), "post: \(question)")
                try Self.expectSame(MessageBody(channel: "C0ESC0001", message: message, ts: "1763478000.000200"), "update: \(question)")
                try Self.expectSame(ResponseURLBody(message: message, replaceOriginal: index.isMultiple(of: 2), ephemeral: true), "response_url: \(question)")
                for case .actions(_, let buttons, _) in message.blocks {
                    for value in buttons.compactMap(\.value) {
                        guard let request = AnswerRequest(encoded: value) else { continue }
                        buttonValues += 1
                        try Self.expectSame(request, options: .sortedKeys, "button value: \(value)")
                        #expect(request.encoded == value, "a button's value re-encodes to itself")
                    }
                }
            }
            try Self.expectSame(ViewBody(triggerID: nil, userID: "U0CSM0001", view: renderer.homeView(reply)), "home: \(question)")
        }
        #expect(replies.count >= 100)
        #expect(buttonValues >= 20, "the corpus must hold buttons to check")
    }

    @Test("AnswerRequest values: the bytes JSONEncoder gives with sorted keys, and decoding back to the request")
    func answerRequests() async throws {
        let parser = try IntentParser.load(customers: DemoRoster.customers(now: WebHarness.now))
        var requests = try Self.questions().map { AnswerRequest(parser.parse($0, now: WebHarness.now), question: $0) }
        var nasty = AnswerRequest(intent: .addNote, customer: "cus_\"/\\", ticket: "4521", status: .unresolved)
        nasty.text = "called back: \"works\" </script>\n\t\u{1} 🎉"
        nasty.threshold = 1e-9
        nasty.periodStart = 1_763_478_000.25
        nasty.periodEnd = 4_102_444_800
        nasty.priority = []
        nasty.nonce = "n-1"
        requests.append(nasty)
        for request in requests {
            let encoded = try #require(request.encoded)
            let foundation = String(decoding: try StreamingJSONEncoder(options: .sortedKeys).foundationEncoder.encode(request), as: UTF8.self)
            #expect(encoded == foundation)
            #expect(AnswerRequest(encoded: encoded) == request)
        }
    }

    static func jobs() -> [JournaledJob] {
        let text = "open P1s at \"Acme\" </script> \\ \n\u{0} 🎉"
        let jobs: [SlackJob] = [
            .question(user: "U0CSM0001", channel: "C0ESC0001", threadTS: nil, text: text),
            .question(user: "U0CSM0001", channel: "D0DM0001", threadTS: "1763478000.000100", text: ""),
            .slashCommand(SlackSlashCommand(command: "/pulse", text: text, userID: "U0CSM0001", channelID: "C0ESC0001",
                                            responseURL: "https://hooks.slack.com/commands/T0/1/abc", triggerID: "13.4.z", teamID: "T0TEAM0001")),
            .slashCommand(SlackSlashCommand(command: "/pulse", text: "help", userID: "U0CSM0001", channelID: "C0ESC0001")),
            .homeOpened(user: "U0CSM0001"),
            .refreshMessage(user: "U0CSM0001", channel: "C0ESC0001", ts: "1763478000.000300", text: text),
            .buttonQuestion(user: "U0CSM0001", channel: nil, threadTS: nil, responseURL: "https://hooks.slack.com/actions/T0/2/def", text: text, expanded: true),
            .answerButton(user: "U0CSM0001", channel: "C0ESC0001", messageTS: "1763478000.000400", threadTS: nil, responseURL: nil,
                          button: "confirm", value: "{\"i\":\"add_note\",\"t\":\"4521\"}"),
        ]
        return jobs.enumerated().map { JournaledJob(id: "Ev\($0.offset)", receivedAt: Date(timeIntervalSince1970: 1_763_478_000.123 + Double($0.offset)), job: $0.element) }
    }

    @Test("Journal records (every job kind, and done) are JSONEncoder's JSON, one line each, and decode back")
    func journalRecords() throws {
        for job in Self.jobs() {
            for record in [SlackJobJournal.Record.job(job), .done(job.id)] {
                try Self.expectSame(record, "\(record)")
                let line = try SlackJobJournal.encode(record)
                #expect(line.last == UInt8(ascii: "\n"))
                #expect(line.dropLast().contains(UInt8(ascii: "\n")) == false)
                let decoded = try JSONDecoder().decode(SlackJobJournal.Record.self, from: Data(line.dropLast()))
                #expect(try JSONValue(parsing: try JSONEncoder().encode(decoded)) == JSONValue(parsing: try JSONEncoder().encode(record)))
            }
            try Self.expectSame(job, "store journal payload")
            #expect(try JSONDecoder().decode(JournaledJob.self, from: Data(try StreamingJSONEncoder().encode(job))) == job)
        }
    }
}

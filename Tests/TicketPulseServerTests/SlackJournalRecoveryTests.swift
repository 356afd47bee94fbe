import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import TicketPulseServer
import TicketPulseSlack
import TicketPulseSQLite
import TicketPulseStorage
import TicketPulseTestSupport

/// A server started over the journal a killed one left: what was acknowledged is answered,
/// once, whether or not the dead process had already posted the answer.
@Suite("Slack jobs journaled before a crash", .serialized)
struct SlackJournalRecoveryTests {
    static let thread = "1763478000.000700"

    /// The journal as a process killed right after acknowledging `Ev007` left it.
    static func journalAfterCrash() async throws -> SlackJobJournal {
        let path = try SlackJobJournalTests.temporaryPath()
        let dead = try SlackJobJournal(path: path)
        try dead.append(JournaledJob(id: "Ev007", receivedAt: ServerHarness.now,
                                           job: .question(user: "U0CSM0001", channel: "C0ESC0001", threadTS: thread, text: "show support tickets for Acme")))
        return try SlackJobJournal(path: path)
    }

    static func answers(in fake: FakeSlack) -> [FakeSlack.Posted] {
        fake.messages.filter { $0.metadataType == SlackJobHandler.answerMetadataType && $0.metadataKey == "Ev007" }
    }

    @Test("Killed before it answered: the restart answers, in the thread, and a retry of the event is a duplicate")
    func answeredAfterTheRestart() async throws {
        let journal = try await Self.journalAfterCrash()
        try await ServerHarness.run(journal: journal) { harness, client in
            await harness.fake.waitForDelivered("chat.postMessage", count: 1)
            let retry = ServerHarness.appMention(eventID: "Ev007", ts: Self.thread)
            let response = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(retry, retry: 1), body: ByteBuffer(string: retry))
            #expect(response.status == .ok)
            let next = ServerHarness.appMention(eventID: "Ev008", ts: "1763478000.000800", text: "<@U0BOT0001> help")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(next), body: ByteBuffer(string: next))
            await harness.fake.waitForDelivered("chat.postMessage", count: 2)
            #expect(Self.answers(in: harness.fake).count == 1)
            #expect(Self.answers(in: harness.fake).first?.threadTS == Self.thread)
            #expect(harness.fake.delivered("chat.postMessage").count == 2, "the retry was not answered")
        }
        #expect(journal.pendingCount == 0)
    }

    @Test("Killed after it answered but before it noted so: the restart finds the answer and posts nothing")
    func foundInsteadOfPostedAgain() async throws {
        let journal = try await Self.journalAfterCrash()
        try await ServerHarness.run(journal: journal, prepare: { _, url in
            // The dead process's answer, as Slack keeps it.
            let slack = SlackWebAPIClient(token: "xoxb-test", baseURL: url, httpClient: HTTPClient.shared)
            _ = try await slack.postMessage(channel: "C0ESC0001", message: SlackMessage(text: "Acme Corp: 2 open tickets"), threadTS: Self.thread,
                                            metadata: SlackMessageMetadata(eventType: SlackJobHandler.answerMetadataType, eventPayload: ["key": "Ev007"]))
        }) { harness, client in
            let next = ServerHarness.appMention(eventID: "Ev008", ts: "1763478000.000800", text: "<@U0BOT0001> help")
            _ = try await client.execute(uri: "/slack/events", method: .post, headers: harness.signedHeaders(next), body: ByteBuffer(string: next))
            await harness.fake.waitForDelivered("chat.postMessage", count: 2)
            #expect(Self.answers(in: harness.fake).count == 1)
            #expect(harness.fake.calls("conversations.replies").count >= 1)
        }
        #expect(journal.pendingCount == 0)
    }
}

import Foundation
import Testing
import TicketPulseAnswers
import TicketPulseCore

/// Every message of the development set, asked by a CSM, a manager and an admin of the
/// hand-built store: each gets an answer with text, and a CSM is never shown a customer
/// outside their accounts.
@Suite("Answers: every dev-set message")
struct AnswerSmokeTests {
    static func messages() throws -> [String] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../TicketPulseIntentsTests/Fixtures/devset.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["text"] as? String)
        }
    }

    @Test("Each role gets a non-empty answer to every message, within scope")
    func everyMessage() async throws {
        let messages = try Self.messages()
        #expect(messages.count >= 300)
        let fixture = try AnswerFixture()
        for person in [AnswerFixture.mike, AnswerFixture.maria, AnswerFixture.alex] {
            for message in messages {
                let (answer, text) = try await fixture.ask(message, as: person)
                #expect(!answer.reply.fallbackText.isEmpty, "\(message)")
                #expect(!text.isEmpty)
                if person.role == .csm {
                    #expect(Set(answer.customersShown).isSubset(of: ["cus_acme", "cus_globex"]), "\(message) showed \(answer.customersShown)")
                    // The asker's own word may be quoted back ("I don't know a customer called
                    // Initech"); the roster's name for it, never.
                    #expect(!text.contains("#300"), "\(message)")
                    #expect(!text.contains("Initech") || message.lowercased().contains("initech"), "\(message)")
                }
            }
        }
    }
}

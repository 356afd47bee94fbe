import Foundation
import Testing
import TicketPulseCore
import TicketPulseDemo
@testable import TicketPulseIntents

/// `parse(_:now:within:)` reads a question from one extraction over the whole directory
/// when it names nobody outside the asker's book: it must read every message exactly as the
/// parser restricted to that book does, and report the names outside it.
@Suite("Parsing within an asker's customers")
struct ScopedParseTests {
    static let now = SharedModel.reference

    /// Every message of both development sets and every catalogue utterance, with its marks
    /// taken out ("[customer](Acme)" → "Acme").
    static func messages() throws -> [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        var texts: [String] = []
        for file in ["devset.jsonl", "devset-fresh.jsonl"] {
            for line in try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                texts.append(object["text"] as! String)
            }
        }
        let catalogue = try IntentCatalogue.load(directory: IntentCatalogue.locateDirectory(explicit: nil)!)
        for definition in catalogue.intents {
            texts += definition.utterances.map { $0.replacing(IntentDefinition.markedSlot) { String($0.2) } }
        }
        return texts
    }

    /// Two of the demo roster's books (a CSM's customers) and a book of one customer.
    static func books() -> [Set<String>] {
        let customers = DemoRoster.customers(now: now)
        let byCSM = Dictionary(grouping: customers, by: { $0.csmEmail ?? "" }).sorted { $0.key < $1.key }
        return byCSM.prefix(2).map { Set($0.value.map(\.id)) } + [[customers[0].id]]
    }

    @Test("Every message reads as the restricted parser reads it, in every book")
    func sameAsRestricted() throws {
        let parser = SharedModel.demoParser()
        let messages = try Self.messages()
        #expect(messages.count > 1_500)
        var namingOthers = 0
        for book in Self.books() {
            let restricted = parser.restricted(toCustomers: book)
            for message in messages {
                let (parsed, outside) = parser.parse(message, now: Self.now, within: book)
                let expected = restricted.parse(message, now: Self.now)
                #expect(parsed.jsonLine() == expected.jsonLine(), "\(message)")
                #expect(parsed.readings.map(\.intent) == expected.readings.map(\.intent), "\(message)")
                #expect(outside.isDisjoint(with: book))
                if !outside.isEmpty { namingOthers += 1 }
            }
        }
        // The shortcut is not taken everywhere: many messages name a customer of another book.
        #expect(namingOthers > 100)
    }

    @Test("A customer of another book is reported, and reads as unknown")
    func otherBook() throws {
        let customers = DemoRoster.customers(now: Self.now)
        let mine = customers[0]
        let theirs = try #require(customers.first { $0.csmEmail != mine.csmEmail })
        let book = Set(customers.filter { $0.csmEmail == mine.csmEmail }.map(\.id))
        let (parsed, outside) = SharedModel.demoParser().parse("show tickets for \(theirs.name)", now: Self.now, within: book)
        #expect(outside == [theirs.id])
        #expect(parsed.slots.customer?.match == nil)
        let (own, none) = SharedModel.demoParser().parse("show tickets for \(mine.name)", now: Self.now, within: book)
        #expect(none.isEmpty)
        #expect(own.slots.customer?.match?.id == mine.id)
    }
}

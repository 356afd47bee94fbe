import Testing
import TicketPulseCore

@Suite("Terminal rendering")
struct TextRendererTests {
    @Test("A cell with an emoji keeps all its letters and its column stays aligned")
    func emojiCellsAreNotCut() {
        let table = ReplyTable(columns: ["SLA", "Ticket"], rows: [["🔴 breached", "#4484"], ["⏳ on track", "#4480"]])
        let text = TextRenderer(width: 80).render(Reply(blocks: [.table(table)], fallbackText: "t"))
        #expect(text.contains("🔴 breached  #4484"))
        #expect(text.contains("⏳ on track  #4480"))
    }

    @Test("Padding counts characters, not UTF-16 units")
    func paddingCountsCharacters() {
        #expect("🔴 x".padded(toWidth: 5) == "🔴 x  ")
        #expect("longer".padded(toWidth: 3) == "longer")
    }
}

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
        #expect("a\r\nb".padded(toWidth: 4) == "a\r\nb ", "CR LF is one character")
        #expect("café".characterCount == 4 && "cafe\u{301}".characterCount == 4 && "abc".characterCount == 3)
    }
}

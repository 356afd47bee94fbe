import Foundation
import Testing
import TicketPulseCore
@testable import TicketPulseSlack

@Suite struct BlockKitLimitTests {
    /// Everything at once, each part far over its limit.
    static let huge = Reply(
        header: String(repeating: "Header ", count: 43),  // 301 characters
        blocks: [
            .section(String(repeating: "Acme & <Globex> support notes. ", count: 330)),  // ~10,000
            .fields((1...40).map { ReplyField("Field \($0)", String(repeating: "v", count: 2500)) }),
            .table(ReplyTable(
                columns: ["Ticket", "Subject", "Priority", "Status"],
                rows: (1...500).map { ["ZD-\($0)", "Login fails for <user> & SSO \($0)", "P1", "open"] }
            )),
            .barChart(BarChart(title: "Tickets per week", bars: (1...300).map { .init(label: "Week \($0)", value: Double($0), display: "\($0)") })),
            .context(String(repeating: "context ", count: 800)),
            .actions((1...60).map { ReplyAction(id: "act_\($0 % 7)", label: String(repeating: "Label \($0) ", count: 12), value: String(repeating: "x", count: 2100)) }),
            .divider,
        ],
        fallbackText: String(repeating: "Fallback & text ", count: 400)
    )

    @Test func hugeReplyStaysWithinEveryMessageLimit() throws {
        let message = BlockKitRenderer().message(Self.huge, moreActionValue: "list_tickets:cus_acme")
        let json = try jsonObject(message)
        #expect(BlockKitLimitChecker.violations(message: json) == [])
        #expect(message.blocks.count <= 50)
        #expect(message.text.hasSuffix("…"))
        #expect(message.text.utf16.count <= 3000)
        // Cut content says so instead of vanishing silently.
        guard case .context(let note)? = message.blocks.last else {
            Issue.record("last block is not the shortening note")
            return
        }
        #expect(note.first?.contains("shortened") == true)
    }

    @Test func hugeReplyStaysWithinEveryHomeTabLimit() throws {
        let view = BlockKitRenderer().homeView(Self.huge)
        let json = try jsonObject(view)
        #expect(json["type"] as? String == "home")
        #expect(BlockKitLimitChecker.violations(view: json) == [])
        #expect(view.blocks.count <= 100)
    }

    @Test func manyBlocksAreCutToFifty() throws {
        let reply = Reply(blocks: (1...80).flatMap { [ReplyBlock.section("Item \($0)"), .divider] }, fallbackText: "items")
        let message = BlockKitRenderer().message(reply)
        #expect(message.blocks.count == 50)
        #expect(BlockKitLimitChecker.violations(message: try jsonObject(message)) == [])
        let home = BlockKitRenderer().homeView(reply)
        #expect(home.blocks.count == 100)
    }

    @Test func longSectionIsSplitNotLost() {
        let lines = (1...200).map { "Line \($0) of the notes." }
        let message = BlockKitRenderer().message(Reply(blocks: [.section(lines.joined(separator: "\n"))], fallbackText: "notes"))
        let texts = message.blocks.compactMap { block -> String? in
            guard case .section(let text?, _) = block else { return nil }
            return text
        }
        #expect(texts.count == 2)
        #expect(texts.allSatisfy { $0.utf16.count <= 3000 })
        #expect(texts.joined(separator: "\n") == lines.joined(separator: "\n"))
    }

    @Test func fortyFieldsBecomeFourSections() {
        let reply = Reply(blocks: [.fields((1...40).map { ReplyField("L\($0)", "V\($0)") })], fallbackText: "f")
        let sections = BlockKitRenderer().message(reply).blocks
        #expect(sections.count == 4)
        for block in sections {
            guard case .section(nil, let fields) = block else {
                Issue.record("not a fields section: \(block)")
                continue
            }
            #expect(fields.count == 10)
        }
    }

    @Test func sixtyActionsBecomeThreeBlocksWithUniqueIDs() throws {
        let reply = Reply(blocks: [.actions((1...60).map { ReplyAction(id: "check_csat", label: "CSAT \($0)", value: "cus_\($0)") })], fallbackText: "a")
        let message = BlockKitRenderer().message(reply)
        #expect(message.blocks.count == 3)
        guard case .actions(_, let first, _)? = message.blocks.first else {
            Issue.record("not actions")
            return
        }
        #expect(first.count == 25)
        #expect(first[0].actionID == "check_csat")
        #expect(first[1].actionID == "check_csat#2")
        #expect(BlockKitRenderer.routeID(ofActionID: first[1].actionID) == "check_csat")
        #expect(BlockKitRenderer.routeID(ofActionID: "ticket#ab") == "ticket#ab")
        #expect(BlockKitLimitChecker.violations(message: try jsonObject(message)) == [])
    }

    @Test func oversizedButtonPartsAreCut() {
        let action = ReplyAction(id: String(repeating: "a", count: 300), label: String(repeating: "b", count: 100), value: String(repeating: "c", count: 2500))
        let message = BlockKitRenderer().message(Reply(blocks: [.actions([action])], fallbackText: "x"))
        guard case .actions(_, let buttons, _)? = message.blocks.first, let button = buttons.first else {
            Issue.record("no button")
            return
        }
        #expect(button.text.count == 75)
        #expect(button.text.hasSuffix("…"))
        #expect(button.actionID.count <= 255)
        #expect(button.value?.count == 2000)
    }

    @Test func headerIsOneLineOfAtMost150() {
        let message = BlockKitRenderer().message(Reply(header: "Acme\nsupport " + String(repeating: "x", count: 200), fallbackText: "x"))
        guard case .header(let text)? = message.blocks.first else {
            Issue.record("no header")
            return
        }
        #expect(text.count == 150)
        #expect(text.hasPrefix("Acme support "))
        #expect(!text.contains("\n"))
    }

    @Test func emptyFallbackUsesTheHeader() {
        #expect(BlockKitRenderer().message(Reply(header: "Acme tickets", fallbackText: "")).text == "Acme tickets")
    }
}

@Suite struct BlockKitTableTests {
    @Test func cutTableSaysHowManyMoreAndOffersSeeAll() throws {
        let table = ReplyTable(columns: ["Ticket", "Subject"], rows: (1...500).map { ["ZD-\($0)", "Subject \($0)"] })
        let message = BlockKitRenderer().message(Reply(blocks: [.table(table)], fallbackText: "t"), moreActionValue: "list:cus_acme")
        #expect(message.blocks.count == 2)
        guard case .section(let text?, _) = message.blocks[0], case .actions(_, let buttons, _) = message.blocks[1] else {
            Issue.record("unexpected blocks \(message.blocks)")
            return
        }
        // "Subject 500" sets the column width, shown or not.
        #expect(text.hasPrefix("```\nTicket  Subject\n------  -----------\nZD-1    Subject 1\n"))
        #expect(text.utf16.count <= 3000)
        let shown = text.components(separatedBy: "\n").filter { $0.hasPrefix("ZD-") }.count
        #expect(text.hasSuffix("```\n_…and \(500 - shown) more_"))
        #expect(buttons == [SlackButton(text: "See all", actionID: "see_more", value: "list:cus_acme")])
    }

    @Test func omittedRowsCountEvenWhenAllShownRowsFit() {
        let table = ReplyTable(columns: ["Ticket"], rows: [["ZD-1"], ["ZD-2"]], omittedRows: 8)
        let blocks = BlockKitRenderer().message(Reply(blocks: [.table(table)], fallbackText: "t")).blocks
        guard case .section(let text?, _) = blocks.first else {
            Issue.record("no section")
            return
        }
        #expect(text == "```\nTicket\n------\nZD-1\nZD-2\n```\n_…and 8 more_")
        // Without a question to ask again, a "See all" button would do nothing: none is shown.
        #expect(blocks.count == 1)
    }

    @Test func expandedTableRunsOverSeveralSectionsWithinSlacksLimits() throws {
        let table = ReplyTable(columns: ["Ticket", "Subject"], rows: (1...500).map { ["ZD-\($0)", "A fairly long subject line \($0)"] })
        let message = BlockKitRenderer().message(Reply(header: "All tickets", blocks: [.table(table)], fallbackText: "t"), expandTables: true)
        let sections = message.blocks.compactMap { block -> String? in
            if case .section(let text?, _) = block { return text } else { return nil }
        }
        #expect(sections.count == TableRendering.maximumExpandedSections)
        #expect(sections.allSatisfy { $0.hasPrefix("```\nTicket") && $0.hasSuffix("```") && $0.utf16.count <= 3000 })
        let shown = sections.joined().components(separatedBy: "\n").filter { $0.hasPrefix("ZD-") }.count
        #expect(shown > 100)
        #expect(message.blocks.reduce(0) { $0 + $1.textLength } <= SlackLimits.messageTextBudget)
        #expect(!message.blocks.contains { if case .actions = $0 { true } else { false } })
        guard case .context(let note)? = message.blocks.last else {
            Issue.record("no closing note")
            return
        }
        #expect(note.first?.contains("…and \(500 - shown) more") == true)
    }

    @Test func wholeTableHasNoButton() {
        let table = ReplyTable(columns: ["Ticket", "Status"], rows: [["ZD-1", "open"]])
        let blocks = BlockKitRenderer().message(Reply(blocks: [.table(table)], fallbackText: "t")).blocks
        #expect(blocks == [.section(text: "```\nTicket  Status\n------  ------\nZD-1    open\n```", fields: [])])
    }

    @Test func cellsAreEscapedAndFlattened() {
        let table = ReplyTable(columns: ["Subject"], rows: [["<b>SSO</b> & login\nbroken"]])
        let blocks = BlockKitRenderer().message(Reply(blocks: [.table(table)], fallbackText: "t")).blocks
        guard case .section(let text?, _) = blocks.first else {
            Issue.record("no section")
            return
        }
        #expect(text.contains("&lt;b&gt;SSO&lt;/b&gt; &amp; login broken"))
    }

    @Test func barChartDrawsProportionalBars() {
        let chart = BarChart(title: "SLA met", bars: [.init(label: "P1", value: 50, display: "50%"), .init(label: "P2", value: 100, display: "100%")], maximum: 100)
        let blocks = BlockKitRenderer().message(Reply(blocks: [.barChart(chart)], fallbackText: "c")).blocks
        let expected = "*SLA met*\n```\nP1 " + String(repeating: "█", count: 10) + String(repeating: "░", count: 10) + " 50%\nP2 "
            + String(repeating: "█", count: 20) + " 100%\n```"
        #expect(blocks == [.section(text: expected, fields: [])])
    }
}

@Suite struct BlockKitShapeTests {
    @Test func eachBlockTypeHasSlacksJSONShape() throws {
        let reply = Reply(
            header: "Acme Corp",
            blocks: [
                .section("*Open:* 12 tickets"),
                .fields([ReplyField("CSAT", "92%")]),
                .divider,
                .context("Zendesk · synced 2 min ago"),
                .actions([
                    ReplyAction(id: "view_open_tickets", label: "View open tickets", value: "cus_acme", style: .primary),
                    ReplyAction(id: "request_escalation", label: "Escalate", value: "zendesk:1", style: .danger),
                    ReplyAction(id: "check_csat", label: "Check CSAT", value: ""),
                ]),
            ],
            fallbackText: "Acme Corp: 12 open tickets"
        )
        let json = try jsonObject(BlockKitRenderer().message(reply))
        #expect(json["text"] as? String == "Acme Corp: 12 open tickets")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section", "divider", "context", "actions"])

        let header = try #require(blocks[0]["text"] as? [String: Any])
        #expect(header["type"] as? String == "plain_text")
        #expect(header["text"] as? String == "Acme Corp")

        let section = try #require(blocks[1]["text"] as? [String: Any])
        #expect(section["type"] as? String == "mrkdwn")
        #expect(section["text"] as? String == "*Open:* 12 tickets")
        #expect(blocks[1]["fields"] == nil)

        let fields = try #require(blocks[2]["fields"] as? [[String: Any]])
        #expect(fields.count == 1)
        #expect(fields[0]["type"] as? String == "mrkdwn")
        #expect(fields[0]["text"] as? String == "*CSAT*\n92%")
        #expect(blocks[2]["text"] == nil)

        #expect(blocks[3].count == 1)

        let context = try #require(blocks[4]["elements"] as? [[String: Any]])
        #expect(context.count == 1)
        #expect(context[0]["type"] as? String == "mrkdwn")
        #expect(context[0]["text"] as? String == "Zendesk · synced 2 min ago")

        let buttons = try #require(blocks[5]["elements"] as? [[String: Any]])
        #expect(buttons.map { $0["type"] as? String } == ["button", "button", "button"])
        #expect(buttons.map { $0["action_id"] as? String } == ["view_open_tickets", "request_escalation", "check_csat"])
        #expect(buttons.map { $0["style"] as? String } == ["primary", "danger", nil])
        #expect(buttons.map { $0["value"] as? String } == ["cus_acme", "zendesk:1", nil])
        let label = try #require(buttons[0]["text"] as? [String: Any])
        #expect(label["type"] as? String == "plain_text")
        #expect(label["text"] as? String == "View open tickets")
    }

    @Test("Escaping replaces exactly &, < and > wherever they are, beside any other characters, and leaves text without them as it is")
    func escapingIsByteExact() {
        #expect(SlackText.escape("") == "")
        #expect(SlackText.escape("Acme Corp — café 😀") == "Acme Corp — café 😀")
        #expect(SlackText.escape("<&>") == "&lt;&amp;&gt;")
        #expect(SlackText.escape("é<😀>&\n\u{301}") == "é&lt;😀&gt;&amp;\n\u{301}")
        #expect(SlackText.escapeKeepingMarkup("no markup at all") == "no markup at all")
    }

    @Test("A table cell is flattened to one line and cut to its width, by character, whatever its script")
    func tableCellsFlattenAndCut() {
        let table = ReplyTable(columns: ["Subject"], rows: [["line one\nline two"], [String(repeating: "é", count: 80)], ["short"]])
        let text = BlockKitRenderer().message(Reply(blocks: [.table(table)], fallbackText: "t")).blocks.compactMap {
            if case .section(let text, _) = $0 { return text } else { return nil }
        }.joined()
        #expect(text.contains("line one line two"))
        #expect(!text.contains(String(repeating: "é", count: 80)))
        #expect(text.contains("short"))
    }

    @Test func userTextIsEscapedButSlackMarkupIsKept() {
        let reply = Reply(
            blocks: [
                .section("Tom & Jerry <script> in <#C0ESC0001> for <@U0CSM0001>, see <https://acme.zendesk.com/1|ZD-1>; a > b; AT&amp;T"),
                .fields([ReplyField("<Label>", "1 < 2")]),
            ],
            fallbackText: "Q&A <now>"
        )
        let message = BlockKitRenderer().message(reply)
        #expect(message.text == "Q&amp;A &lt;now&gt;")
        #expect(message.blocks[0] == .section(
            text: "Tom &amp; Jerry &lt;script&gt; in <#C0ESC0001> for <@U0CSM0001>, see <https://acme.zendesk.com/1|ZD-1>; a &gt; b; AT&amp;T",
            fields: []
        ))
        #expect(message.blocks[1] == .section(text: nil, fields: ["*&lt;Label&gt;*\n1 &lt; 2"]))
    }

    @Test func emptyPartsProduceNoInvalidBlocks() throws {
        let reply = Reply(blocks: [.section(""), .fields([]), .actions([]), .context("")], fallbackText: "nothing")
        let message = BlockKitRenderer().message(reply)
        #expect(message.blocks.isEmpty)
        #expect(message.text == "nothing")
    }
}

@Suite struct ModalTests {
    @Test func addNoteModalShape() throws {
        let view = BlockKitRenderer().addNoteModal(privateMetadata: "zendesk:48213", about: "SSO <broken>")
        let json = try jsonObject(view)
        #expect(json["type"] as? String == "modal")
        #expect(json["callback_id"] as? String == "add_note")
        #expect(json["private_metadata"] as? String == "zendesk:48213")
        #expect((json["title"] as? [String: Any])?["text"] as? String == "Add note")
        #expect((json["submit"] as? [String: Any])?["type"] as? String == "plain_text")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "input"])
        #expect((blocks[0]["text"] as? [String: Any])?["text"] as? String == "Internal note on *SSO &lt;broken&gt;*")
        let input = blocks[1]
        #expect(input["block_id"] as? String == SlackModalForm.noteBlockID)
        let element = try #require(input["element"] as? [String: Any])
        #expect(element["type"] as? String == "plain_text_input")
        #expect(element["action_id"] as? String == SlackModalForm.noteActionID)
        #expect(element["multiline"] as? Bool == true)
        #expect(BlockKitLimitChecker.violations(view: json) == [])
    }

    @Test func escalationModalAsksForAReason() throws {
        let json = try jsonObject(BlockKitRenderer().requestEscalationModal(privateMetadata: "zendesk:1"))
        #expect(json["callback_id"] as? String == "request_escalation")
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        #expect(blocks.count == 1)
        #expect(blocks[0]["block_id"] as? String == "reason")
        #expect((blocks[0]["element"] as? [String: Any])?["action_id"] as? String == "reason_input")
        #expect(BlockKitLimitChecker.violations(view: json) == [])
    }

    @Test func oversizedModalPartsAreCut() throws {
        let form = SlackModalForm(
            callbackID: "x", title: "A title far longer than twenty-four", submit: "Submit this form now please",
            input: SlackInput(blockID: "b", actionID: "a", label: "L"), privateMetadata: String(repeating: "m", count: 5000)
        )
        let json = try jsonObject(BlockKitRenderer().modal(form))
        #expect(BlockKitLimitChecker.violations(view: json) == [])
        #expect((json["private_metadata"] as? String)?.count == 3000)
    }
}

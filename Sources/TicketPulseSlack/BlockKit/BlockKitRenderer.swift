import TicketPulseCore

/// Renders a `Reply` as Block Kit, cutting whatever would break Slack's limits: Slack
/// refuses a whole message for one oversized field, so a shortened answer beats none.
public struct BlockKitRenderer: Sendable {
    /// The `action_id` of the button under a cut table; its value is `moreActionValue`.
    public static let seeMoreActionID = "see_more"

    /// Home tabs are not bound by the message-size error, but a dashboard this long is
    /// unreadable anyway.
    public var viewTextBudget = 30_000

    public init() {}

    /// - Parameters:
    ///   - moreActionValue: what the "See all" button under a cut table carries back (the
    ///     question, so the click can ask it again in full).
    ///   - expandTables: the answer to "See all": tables run over as many sections as the
    ///     message allows instead of one, and offer no further button.
    public func message(_ reply: Reply, moreActionValue: String? = nil, expandTables: Bool = false) -> SlackMessage {
        SlackMessage(
            text: fallback(reply),
            blocks: blocks(reply, moreActionValue: moreActionValue, expandTables: expandTables,
                           limit: SlackLimits.blocksPerMessage, budget: SlackLimits.messageTextBudget)
        )
    }

    public func homeView(_ reply: Reply, moreActionValue: String? = nil) -> SlackView {
        SlackView(type: .home, blocks: blocks(reply, moreActionValue: moreActionValue, expandTables: false, limit: SlackLimits.blocksPerView, budget: viewTextBudget))
    }

    func fallback(_ reply: Reply) -> String {
        let text = reply.fallbackText.isEmpty ? (reply.header ?? "TicketPulse") : reply.fallbackText
        return SlackText.truncate(SlackText.escapeKeepingMarkup(text), to: SlackLimits.fallbackText)
    }

    func blocks(_ reply: Reply, moreActionValue: String?, expandTables: Bool, limit: Int, budget: Int) -> [SlackBlock] {
        var rendered: [SlackBlock] = []
        if let header = reply.header, !header.isEmpty {
            // plain_text header: no escaping, and a header is one line.
            let line = header.split(whereSeparator: \.isNewline).joined(separator: " ")
            rendered.append(.header(SlackText.truncate(line, to: SlackLimits.headerText)))
        }
        for block in reply.blocks {
            rendered += render(block, moreActionValue: moreActionValue, expandTables: expandTables)
        }
        return fit(rendered, limit: limit, budget: budget)
    }

    private func render(_ block: ReplyBlock, moreActionValue: String?, expandTables: Bool) -> [SlackBlock] {
        switch block {
        case .section(let text):
            return Self.chunks(SlackText.escapeKeepingMarkup(text), limit: SlackLimits.sectionText)
                .map { .section(text: $0, fields: []) }
        case .fields(let fields):
            let texts = fields.map { field in
                SlackText.truncate("*\(SlackText.escape(field.label))*\n\(SlackText.escapeKeepingMarkup(field.value))", to: SlackLimits.fieldText)
            }
            return stride(from: 0, to: texts.count, by: SlackLimits.fieldsPerSection).map { start in
                .section(text: nil, fields: Array(texts[start..<min(start + SlackLimits.fieldsPerSection, texts.count)]))
            }
        case .table(let table):
            return expandTables ? TableRendering.expandedBlocks(table) : TableRendering.blocks(table, moreActionValue: moreActionValue)
        case .barChart(let chart):
            return [TableRendering.chart(chart)]
        case .context(let text):
            let escaped = SlackText.escapeKeepingMarkup(text)
            return escaped.isEmpty ? [] : [.context([SlackText.truncate(escaped, to: SlackLimits.contextText)])]
        case .divider:
            return [.divider]
        case .actions(let actions):
            var buttons = actions.filter { !$0.inMenu }
            var menu = actions.filter(\.inMenu).filter { SlackText.length(Self.menuOptionValue(id: $0.id, value: $0.value)) <= SlackLimits.optionValue }
            // Slack refuses a menu of one option; a lone extra is a button instead.
            if menu.count < SlackLimits.overflowOptions.lowerBound { buttons += menu; menu = [] }
            var blocks: [SlackBlock] = stride(from: 0, to: buttons.count, by: SlackLimits.elementsPerActions).map { start in
                let chunk = buttons[start..<min(start + SlackLimits.elementsPerActions, buttons.count)]
                return .actions(blockID: nil, elements: Self.buttons(chunk))
            }
            if !menu.isEmpty {
                let overflow = SlackOverflow(actionID: Self.overflowActionID, options: menu.prefix(SlackLimits.overflowOptions.upperBound).map {
                    SlackOverflow.Option(text: SlackText.truncate($0.label.isEmpty ? $0.id : $0.label, to: SlackLimits.optionText),
                                         value: Self.menuOptionValue(id: $0.id, value: $0.value))
                })
                if case .actions(let id, let elements, let existing)? = blocks.last, existing == nil, elements.count < SlackLimits.elementsPerActions {
                    blocks[blocks.count - 1] = .actions(blockID: id, elements: elements, overflow: overflow)
                } else {
                    blocks.append(.actions(blockID: nil, elements: [], overflow: overflow))
                }
            }
            return blocks
        }
    }

    /// Keeps blocks while they fit both the block count and the text budget; what is cut
    /// is said in a last context line so the reader knows the answer is incomplete.
    private func fit(_ blocks: [SlackBlock], limit: Int, budget: Int) -> [SlackBlock] {
        let total = blocks.reduce(0) { $0 + $1.textLength }
        if blocks.count <= limit, total <= budget { return blocks }
        let note = "_This answer was shortened to fit Slack. Ask a narrower question to see the rest._"
        var kept: [SlackBlock] = []
        var used = SlackText.length(note)
        for block in blocks {
            guard kept.count < limit - 1, used + block.textLength <= budget else { break }
            kept.append(block)
            used += block.textLength
        }
        // A divider left hanging at the end looks like a rendering bug.
        while case .divider? = kept.last { kept.removeLast() }
        return kept + [.context([note])]
    }

    /// Splits at line breaks where possible so that code fences and lists stay readable.
    static func chunks(_ text: String, limit: Int) -> [String] {
        guard !text.isEmpty else { return [] }
        var result: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(line) : current + "\n" + line
            if SlackText.length(candidate) <= limit {
                current = candidate
                continue
            }
            if !current.isEmpty { result.append(current) }
            var rest = String(line)
            while SlackText.length(rest) > limit {
                let head = SlackText.truncate(rest, to: limit, marker: "")
                guard !head.isEmpty else { break }
                result.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            current = rest
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func buttons(_ actions: some Sequence<ReplyAction>) -> [SlackButton] {
        var seen: [String: Int] = [:]
        return actions.map { action in
            let base = String(action.id.prefix(SlackLimits.identifier - 4))
            let count = seen[base, default: 0] + 1
            seen[base] = count
            let label = action.label.isEmpty ? action.id : action.label
            let style: SlackButton.Style? = switch action.style {
            case .normal: nil
            case .primary: .primary
            case .danger: .danger
            }
            return SlackButton(
                text: SlackText.truncate(label, to: SlackLimits.buttonText),
                actionID: uniqueActionID(base, occurrence: count),
                value: action.value.isEmpty ? nil : SlackText.truncate(action.value, to: SlackLimits.buttonValue, marker: ""),
                style: style
            )
        }
    }

    /// Slack rejects two buttons with one `action_id` in a block, yet handlers repeat ids
    /// ("CSAT: Acme", "CSAT: Globex" both `check_csat`); later ones get `#2`, `#3`…
    static func uniqueActionID(_ base: String, occurrence: Int) -> String {
        occurrence == 1 ? base : "\(base)#\(occurrence)"
    }

    /// The `action_id` of a message's overflow menu; the chosen option says which action.
    public static let overflowActionID = "more_actions"

    /// An overflow option's value: the action's id and its value, so a menu choice comes
    /// back routed exactly like a click on the button it replaces (ids hold no `|`).
    public static func menuOptionValue(id: String, value: String) -> String { "\(id)|\(value)" }

    /// The `(ReplyAction.id, value)` an overflow option's `selected_option.value` carries.
    public static func menuChoice(_ optionValue: String) -> (id: String, value: String)? {
        guard let bar = optionValue.firstIndex(of: "|"), bar != optionValue.startIndex else { return nil }
        return (String(optionValue[..<bar]), String(optionValue[optionValue.index(after: bar)...]))
    }

    /// The handler's `ReplyAction.id` for an `action_id` Slack sends back.
    public static func routeID(ofActionID actionID: String) -> String {
        guard let hash = actionID.lastIndex(of: "#"),
              actionID.index(after: hash) < actionID.endIndex,
              actionID[actionID.index(after: hash)...].allSatisfy(\.isASCII),
              actionID[actionID.index(after: hash)...].allSatisfy(\.isNumber)
        else { return actionID }
        return String(actionID[..<hash])
    }
}

import TicketPulseCore

/// Tables and bar charts as monospaced code blocks: Block Kit has no table block that
/// works in messages, and aligned columns need a fixed-width font.
enum TableRendering {
    static let maximumCellWidth = 40
    static let barWidth = 20
    static let maximumLabelWidth = 24

    /// One section of rows; under a cut table, "…and N more" and, when there is a question
    /// to ask again, a "See all" button carrying it.
    static func blocks(_ table: ReplyTable, moreActionValue: String?) -> [SlackBlock] {
        let (sections, more) = sectionTexts(table, maximumSections: 1)
        guard more > 0 else { return [.section(text: sections[0], fields: [])] }
        let section = SlackBlock.section(text: sections[0] + "\n_…and \(more) more_", fields: [])
        guard let moreActionValue else { return [section] }
        let button = SlackButton(
            text: "See all",
            actionID: BlockKitRenderer.seeMoreActionID,
            value: SlackText.truncate(moreActionValue, to: SlackLimits.buttonValue, marker: "")
        )
        return [section, .actions(blockID: nil, elements: [button])]
    }

    /// The whole table over consecutive sections, as many as fit a message; the rows that
    /// still do not fit are counted, and the reader is told to narrow the question.
    static func expandedBlocks(_ table: ReplyTable) -> [SlackBlock] {
        let (sections, more) = sectionTexts(table, maximumSections: maximumExpandedSections)
        var blocks = sections.map { SlackBlock.section(text: $0, fields: []) }
        if more > 0 { blocks.append(.context(["_…and \(more) more: add a priority, status or period to narrow the list._"])) }
        return blocks
    }

    /// Sections of an expanded table: with the header and the 11k message budget, more
    /// would be cut by the renderer anyway.
    static let maximumExpandedSections = 3

    /// The table as fenced code blocks of at most `sectionText` characters each, the column
    /// header repeated in each, and how many rows did not fit.
    private static func sectionTexts(_ table: ReplyTable, maximumSections: Int) -> (sections: [String], more: Int) {
        let columns = table.columns.map { cell($0) }
        let rows = table.rows.map { $0.map { cell($0) } }
        let widths = columns.indices.map { column in
            ([columns] + rows).map { column < $0.count ? $0[column].characterCount : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 || index >= widths.count ? cell : cell.padded(toWidth: widths[index])
            }
            return SlackText.escape(padded.joined(separator: "  "))
        }
        // Room for the fences and the "…and N more" line.
        let budget = SlackLimits.sectionText - 60
        let heading = [line(columns), SlackText.escape(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))]
            .map { SlackText.truncate($0, to: budget / 2) }
        var sections: [String] = []
        var lines = heading
        var used = heading.reduce(0) { $0 + SlackText.length($1) + 1 }
        var shown = 0
        for row in rows {
            let text = SlackText.truncate(line(row), to: budget / 2)
            if used + SlackText.length(text) + 1 > budget {
                sections.append("```\n" + lines.joined(separator: "\n") + "\n```")
                guard sections.count < maximumSections else { break }
                lines = heading
                used = heading.reduce(0) { $0 + SlackText.length($1) + 1 }
            }
            lines.append(text)
            used += SlackText.length(text) + 1
            shown += 1
        }
        if sections.count < maximumSections { sections.append("```\n" + lines.joined(separator: "\n") + "\n```") }
        return (sections, rows.count - shown + max(0, table.omittedRows))
    }

    static func chart(_ chart: BarChart) -> SlackBlock {
        let maximum = chart.maximum ?? chart.bars.map(\.value).max() ?? 1
        let labels = chart.bars.map { cell($0.label, width: maximumLabelWidth) }
        let labelWidth = labels.map(\.characterCount).max() ?? 0
        let title = chart.title.isEmpty ? "" : "*\(SlackText.escape(chart.title))*\n"
        let budget = SlackLimits.sectionText - SlackText.length(title) - 60
        var lines: [String] = []
        var used = 0
        for (bar, label) in zip(chart.bars, labels) {
            let ratio = maximum > 0 && bar.value.isFinite ? bar.value / maximum : 0
            let filled = max(0, min(barWidth, Int((ratio * Double(barWidth)).rounded())))
            let text = SlackText.escape(
                label.padded(toWidth: labelWidth) + " "
                    + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
                    + " " + cell(bar.display, width: maximumLabelWidth)
            )
            guard used + SlackText.length(text) + 1 <= budget else { break }
            lines.append(text)
            used += SlackText.length(text) + 1
        }
        var text = title + "```\n" + (lines.isEmpty ? "(no data)" : lines.joined(separator: "\n")) + "\n```"
        if lines.count < chart.bars.count { text += "\n_…and \(chart.bars.count - lines.count) more_" }
        return .section(text: text, fields: [])
    }

    /// One line per row: a newline in a ticket subject would break the columns.
    private static func cell(_ text: String, width: Int = maximumCellWidth) -> String {
        // Most cells are short ASCII without a line break: one byte is one character, and
        // nothing needs splitting or counting by grapheme.
        if text.utf8.count <= width, text.isPrintableASCII { return text }
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
    }
}

import TicketPulseCore

/// Tables and bar charts as monospaced code blocks: Block Kit has no table block that
/// works in messages, and aligned columns need a fixed-width font.
enum TableRendering {
    static let maximumCellWidth = 40
    static let barWidth = 20
    static let maximumLabelWidth = 24

    static func blocks(_ table: ReplyTable, moreActionValue: String?) -> [SlackBlock] {
        let columns = table.columns.map { cell($0) }
        let rows = table.rows.map { $0.map { cell($0) } }
        let widths = columns.indices.map { column in
            ([columns] + rows).map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 || index >= widths.count ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return SlackText.escape(padded.joined(separator: "  "))
        }
        // Room for the fences and the "…and N more" line.
        let budget = SlackLimits.sectionText - 60
        var lines = [line(columns), SlackText.escape(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))]
            .map { SlackText.truncate($0, to: budget / 2) }
        var used = lines.reduce(0) { $0 + SlackText.length($1) + 1 }
        var shown = 0
        for row in rows {
            let text = SlackText.truncate(line(row), to: budget / 2)
            guard used + SlackText.length(text) + 1 <= budget else { break }
            lines.append(text)
            used += SlackText.length(text) + 1
            shown += 1
        }
        let more = rows.count - shown + max(0, table.omittedRows)
        var text = "```\n" + lines.joined(separator: "\n") + "\n```"
        guard more > 0 else { return [.section(text: text, fields: [])] }
        text += "\n_…and \(more) more_"
        let button = SlackButton(
            text: "See all",
            actionID: BlockKitRenderer.seeMoreActionID,
            value: moreActionValue.map { SlackText.truncate($0, to: SlackLimits.buttonValue, marker: "") }
        )
        return [.section(text: text, fields: []), .actions(blockID: nil, elements: [button])]
    }

    static func chart(_ chart: BarChart) -> SlackBlock {
        let maximum = chart.maximum ?? chart.bars.map(\.value).max() ?? 1
        let labels = chart.bars.map { cell($0.label, width: maximumLabelWidth) }
        let labelWidth = labels.map(\.count).max() ?? 0
        let title = chart.title.isEmpty ? "" : "*\(SlackText.escape(chart.title))*\n"
        let budget = SlackLimits.sectionText - SlackText.length(title) - 60
        var lines: [String] = []
        var used = 0
        for (bar, label) in zip(chart.bars, labels) {
            let ratio = maximum > 0 && bar.value.isFinite ? bar.value / maximum : 0
            let filled = max(0, min(barWidth, Int((ratio * Double(barWidth)).rounded())))
            let text = SlackText.escape(
                label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " "
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
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
    }
}

/// Renders a `Reply` as terminal text: what `ticketpulse ask` and `demo` print.
public struct TextRenderer: Sendable {
    public var width: Int

    public init(width: Int = 80) {
        self.width = width
    }

    public func render(_ reply: Reply) -> String {
        var lines: [String] = []
        if let header = reply.header {
            lines.append(header)
            lines.append(String(repeating: "=", count: min(width, header.count)))
        }
        for block in reply.blocks {
            switch block {
            case .section(let text):
                lines.append(plain(text))
            case .fields(let fields):
                let labelWidth = fields.map(\.label.count).max() ?? 0
                lines += fields.map { "  " + $0.label.padded(toWidth: labelWidth) + "  " + plain($0.value) }
            case .table(let table):
                lines += renderTable(table)
            case .barChart(let chart):
                lines += renderChart(chart)
            case .context(let text):
                lines.append("  (" + plain(text) + ")")
            case .divider:
                lines.append(String(repeating: "-", count: width))
            case .actions(let actions):
                let buttons = actions.filter { !$0.inMenu }.map { "[\($0.label)]" }
                let menu = actions.filter(\.inMenu).map(\.label)
                lines.append("  Actions: " + (buttons + (menu.isEmpty ? [] : ["[… \(menu.joined(separator: ", "))]"])).joined(separator: " "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Slack emphasis markers mean nothing on a terminal.
    private func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "*", with: "")
    }

    private func renderTable(_ table: ReplyTable) -> [String] {
        let all = [table.columns] + table.rows
        let widths = table.columns.indices.map { column in all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            "  " + cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padded(toWidth: widths[index])
            }.joined(separator: "  ")
        }
        var lines = [line(table.columns), "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += table.rows.map(line)
        if table.omittedRows > 0 { lines.append("  …and \(table.omittedRows) more") }
        return lines
    }

    private func renderChart(_ chart: BarChart) -> [String] {
        let maximum = chart.maximum ?? chart.bars.map(\.value).max() ?? 1
        let labelWidth = chart.bars.map(\.label.count).max() ?? 0
        let barWidth = 30
        return [chart.title] + chart.bars.map { bar in
            let filled = maximum > 0 ? Int((bar.value / maximum * Double(barWidth)).rounded()) : 0
            return "  " + bar.label.padded(toWidth: labelWidth) + " "
                + String(repeating: "█", count: max(0, min(barWidth, filled)))
                + String(repeating: "░", count: max(0, barWidth - filled)) + " " + bar.display
        }
    }
}

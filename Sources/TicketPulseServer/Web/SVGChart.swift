import Foundation

/// Charts as inline SVG drawn on the server: an `<svg role="img">` with a title and a
/// description saying every value, so a screen reader (or a text browser) reads the
/// numbers the picture shows. Colours come from the stylesheet's classes.
enum SVGChart {
    struct Point {
        var label: String
        var value: Double
        /// The value as the text alternative and the tooltip say it.
        var display: String
    }

    /// A line over points left to right (weeks), its y axis from 0 to `maximum`.
    static func line(id: String, title: String, points: [Point], maximum: Double? = nil, width: Double = 640, height: Double = 200) -> String {
        let description = points.isEmpty ? "No data." : points.map { "\($0.label): \($0.display)" }.joined(separator: "; ")
        let top = max(maximum ?? 0, points.map(\.value).max() ?? 0, 1)
        let left = 36.0, right = 12.0, upper = 12.0, lower = 28.0
        let plotWidth = width - left - right, plotHeight = height - upper - lower
        func x(_ index: Int) -> Double { points.count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(points.count - 1) }
        func y(_ value: Double) -> Double { upper + plotHeight * (1 - value / top) }
        var svg = #"<svg class="chart chart-line" id="\#(id)" role="img" aria-labelledby="\#(id)-title \#(id)-desc" viewBox="0 0 \#(Int(width)) \#(Int(height))" preserveAspectRatio="xMidYMid meet">"#
        svg += #"<title id="\#(id)-title">\#(escape(title))</title><desc id="\#(id)-desc">\#(escape(description))</desc>"#
        for step in 0...4 {
            let value = top * Double(step) / 4
            svg += #"<line class="grid" x1="\#(fmt(left))" x2="\#(fmt(width - right))" y1="\#(fmt(y(value)))" y2="\#(fmt(y(value)))"/>"#
            svg += #"<text class="axis" x="\#(fmt(left - 6))" y="\#(fmt(y(value) + 4))" text-anchor="end">\#(escape(compact(value)))</text>"#
        }
        if !points.isEmpty {
            let path = points.indices.map { "\(fmt(x($0))),\(fmt(y(points[$0].value)))" }.joined(separator: " ")
            svg += #"<polyline class="series" points="\#(path)"/>"#
            for (index, point) in points.enumerated() {
                svg += #"<circle class="dot" cx="\#(fmt(x(index)))" cy="\#(fmt(y(point.value)))" r="3.5"><title>\#(escape("\(point.label): \(point.display)"))</title></circle>"#
                // Every other label when crowded, so they stay readable.
                if points.count <= 8 || index % 2 == 0 || index == points.count - 1 {
                    // The ends are anchored inwards, so their labels are not cut at the edge.
                    let anchor = points.count > 1 && index == 0 ? "start" : points.count > 1 && index == points.count - 1 ? "end" : "middle"
                    svg += #"<text class="axis" x="\#(fmt(x(index)))" y="\#(fmt(height - 8))" text-anchor="\#(anchor)">\#(escape(point.label))</text>"#
                }
            }
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one row each, against `maximum`, with an optional target mark.
    static func bars(id: String, title: String, bars: [Point], maximum: Double, target: Double? = nil, targetLabel: String? = nil, width: Double = 640) -> String {
        let rowHeight = 30.0, labelWidth = 150.0, valueWidth = 70.0
        let height = Double(bars.count) * rowHeight + (target == nil ? 8 : 26)
        let barWidth = width - labelWidth - valueWidth
        var description = bars.map { "\($0.label): \($0.display)" }.joined(separator: "; ")
        if let targetLabel { description += "; \(targetLabel)" }
        var svg = #"<svg class="chart chart-bars" id="\#(id)" role="img" aria-labelledby="\#(id)-title \#(id)-desc" viewBox="0 0 \#(Int(width)) \#(Int(height))" preserveAspectRatio="xMidYMid meet">"#
        svg += #"<title id="\#(id)-title">\#(escape(title))</title><desc id="\#(id)-desc">\#(escape(description.isEmpty ? "No data." : description))</desc>"#
        for (index, bar) in bars.enumerated() {
            let top = Double(index) * rowHeight + 4
            let length = maximum > 0 ? barWidth * min(1, max(0, bar.value / maximum)) : 0
            svg += #"<text class="label" x="0" y="\#(fmt(top + 16))">\#(escape(bar.label))</text>"#
            svg += #"<rect class="track" x="\#(fmt(labelWidth))" y="\#(fmt(top))" width="\#(fmt(barWidth))" height="20" rx="3"/>"#
            let below = target.map { bar.value < $0 } ?? false
            svg += #"<rect class="bar\#(below ? " below-target" : "")" x="\#(fmt(labelWidth))" y="\#(fmt(top))" width="\#(fmt(length))" height="20" rx="3"/>"#
            svg += #"<text class="value" x="\#(fmt(labelWidth + barWidth + 8))" y="\#(fmt(top + 16))">\#(escape(bar.display))</text>"#
        }
        if let target, maximum > 0 {
            let x = labelWidth + barWidth * min(1, target / maximum)
            svg += #"<line class="target" x1="\#(fmt(x))" x2="\#(fmt(x))" y1="0" y2="\#(fmt(height - 18))"/>"#
            svg += #"<text class="axis" x="\#(fmt(x))" y="\#(fmt(height - 4))" text-anchor="middle">\#(escape(targetLabel ?? ""))</text>"#
        }
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func compact(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// Renders precision-recall curves as a standalone SVG document.
///
/// The plot has both axes from 0 to 1 with ticks and grid lines every 0.1, axis titles ("Recall",
/// "Precision"), the title above, and a legend (in the lower-left corner of the plot, where PR
/// curves rarely pass) with one coloured line per series. Put the AP in each series label, e.g.
/// "easy AP 0.8123". Points with a non-finite coordinate are skipped; the others are clamped to
/// [0, 1] and joined in the order given. Text is XML-escaped. No external dependencies.
/// - Parameters:
///   - series: The curves: a label and (recall, precision) points each.
///   - title: The plot title.
/// - Returns: The SVG document (UTF-8 text).
public func renderPRCurvesSVG(series: [(label: String, points: [(recall: Double, precision: Double)])], title: String) -> String {
    renderLinePlotSVG(series: series.map { (label: $0.label, points: $0.points.map { (x: $0.recall, y: $0.precision) }) },
                      title: title, xLabel: "Recall", yLabel: "Precision", xMax: 1)
}

/// Renders lines (with a dot at every point) on axes x in [0, `xMax`] and y in [0, 1], with the
/// same layout as ``renderPRCurvesSVG(series:title:)``: for example AP against model calls.
/// - Parameters:
///   - series: The lines: a label and (x, y) points each.
///   - title: The plot title.
///   - xLabel: The x axis title.
///   - yLabel: The y axis title.
///   - xMax: The right end of the x axis (ticks every tenth of it).
///   - markers: Draw a dot at every point.
/// - Returns: The SVG document (UTF-8 text).
public func renderLinePlotSVG(series: [(label: String, points: [(x: Double, y: Double)])], title: String,
                              xLabel: String, yLabel: String, xMax: Double, markers: Bool = false) -> String {
    let width = 720.0, height = 560.0
    let left = 80.0, right = 30.0, top = 60.0, bottom = 70.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    let xMax = xMax > 0 && xMax.isFinite ? xMax : 1
    func px(_ x: Double) -> String { formatFixed(left + min(max(x / xMax, 0), 1) * plotWidth, digits: 2) }
    func py(_ precision: Double) -> String { formatFixed(top + (1 - min(max(precision, 0), 1)) * plotHeight, digits: 2) }
    let escape = svgEscape

    var svg = """
    <?xml version="1.0" encoding="UTF-8"?>
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
    <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#ffffff"/>
    <text x="\(formatFixed(left + plotWidth / 2, digits: 2))" y="34" font-size="20" text-anchor="middle" fill="#222222">\(escape(title))</text>

    """
    // Grid and ticks.
    svg += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n"
    for tick in 1..<10 {
        let value = Double(tick) / 10
        svg += "<line x1=\"\(px(value * xMax))\" y1=\"\(py(0))\" x2=\"\(px(value * xMax))\" y2=\"\(py(1))\"/>\n"
        svg += "<line x1=\"\(px(0))\" y1=\"\(py(value))\" x2=\"\(px(xMax))\" y2=\"\(py(value))\"/>\n"
    }
    svg += "</g>\n<g stroke=\"#444444\" stroke-width=\"1\">\n"
    for tick in 0...10 {
        let value = Double(tick) / 10
        let xTick = left + value * plotWidth
        let yTick = top + (1 - value) * plotHeight
        svg += "<line x1=\"\(formatFixed(xTick, digits: 2))\" y1=\"\(py(0))\" x2=\"\(formatFixed(xTick, digits: 2))\" y2=\"\(formatFixed(top + plotHeight + 6, digits: 2))\"/>\n"
        svg += "<line x1=\"\(formatFixed(left - 6, digits: 2))\" y1=\"\(formatFixed(yTick, digits: 2))\" x2=\"\(px(0))\" y2=\"\(formatFixed(yTick, digits: 2))\"/>\n"
    }
    svg += "</g>\n<g font-size=\"13\" fill=\"#333333\">\n"
    for tick in 0...10 {
        let value = Double(tick) / 10
        let label = formatFixed(value, digits: 1)
        let xTickLabel = xMax == 1 ? label : formatFixed(value * xMax, digits: xMax >= 10 ? 0 : 1)
        svg += "<text x=\"\(px(value * xMax))\" y=\"\(formatFixed(top + plotHeight + 22, digits: 2))\" text-anchor=\"middle\">\(xTickLabel)</text>\n"
        svg += "<text x=\"\(formatFixed(left - 10, digits: 2))\" y=\"\(formatFixed(top + (1 - value) * plotHeight + 4.5, digits: 2))\" text-anchor=\"end\">\(label)</text>\n"
    }
    svg += "</g>\n"
    // Axis titles and frame.
    svg += "<text x=\"\(formatFixed(left + plotWidth / 2, digits: 2))\" y=\"\(formatFixed(height - 20, digits: 2))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222222\">\(escape(xLabel))</text>\n"
    svg += "<text x=\"24\" y=\"\(formatFixed(top + plotHeight / 2, digits: 2))\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222222\" transform=\"rotate(-90 24 \(formatFixed(top + plotHeight / 2, digits: 2)))\">\(escape(yLabel))</text>\n"
    svg += "<rect x=\"\(px(0))\" y=\"\(py(1))\" width=\"\(formatFixed(plotWidth, digits: 2))\" height=\"\(formatFixed(plotHeight, digits: 2))\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1.2\"/>\n"
    // Curves.
    for (index, entry) in series.enumerated() {
        let colour = palette[index % palette.count]
        let points = entry.points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !points.isEmpty else { continue }
        if points.count == 1 || markers {
            for p in points { svg += "<circle cx=\"\(px(p.x))\" cy=\"\(py(p.y))\" r=\"\(markers ? 4 : 3)\" fill=\"\(colour)\"/>\n" }
            if points.count == 1 { continue }
        }
        let coordinates = points.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.2\" stroke-linejoin=\"round\" points=\"\(coordinates)\"/>\n"
    }
    svg += svgLegend(series.map(\.label), palette: palette, left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight)
    svg += "</svg>\n"
    return svg
}

/// The legend box of a line plot: one coloured line and label per series, bottom left.
private func svgLegend(_ labels: [String], palette: [String], left: Double, top: Double, plotWidth: Double, plotHeight: Double) -> String {
    guard !labels.isEmpty else { return "" }
    var svg = ""
    let lineHeight = 22.0
    let longest = labels.map(\.count).max() ?? 0
    let boxWidth = min(plotWidth - 20, 56 + Double(longest) * 7.6)
    let boxHeight = Double(labels.count) * lineHeight + 12
    let boxX = left + 12
    let boxY = top + plotHeight - boxHeight - 12
    svg += "<rect x=\"\(formatFixed(boxX, digits: 2))\" y=\"\(formatFixed(boxY, digits: 2))\" width=\"\(formatFixed(boxWidth, digits: 2))\" height=\"\(formatFixed(boxHeight, digits: 2))\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#999999\" stroke-width=\"1\"/>\n"
    for (index, label) in labels.enumerated() {
        let colour = palette[index % palette.count]
        let y = boxY + 6 + lineHeight * (Double(index) + 0.5)
        svg += "<line x1=\"\(formatFixed(boxX + 10, digits: 2))\" y1=\"\(formatFixed(y, digits: 2))\" x2=\"\(formatFixed(boxX + 40, digits: 2))\" y2=\"\(formatFixed(y, digits: 2))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
        svg += "<text x=\"\(formatFixed(boxX + 48, digits: 2))\" y=\"\(formatFixed(y + 4.5, digits: 2))\" font-size=\"14\" fill=\"#222222\">\(svgEscape(label))</text>\n"
    }
    return svg
}

/// `text` with XML's special characters escaped.
private func svgEscape(_ text: String) -> String {
    var result = ""
    for character in text {
        switch character {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        default: result.append(character)
        }
    }
    return result
}

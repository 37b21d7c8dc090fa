import Foundation
import TestSupport
import Testing
@testable import Evaluation

@Suite("PR curve SVG")
struct SVGTests {
    @Test("Renders axes, ticks, grid, legend and curves; escapes text; skips non-finite points")
    func render() {
        let svg = renderPRCurvesSVG(series: [
            (label: "easy AP 0.9000", points: [(recall: 0, precision: 1), (recall: 0.5, precision: 0.9), (recall: 0.8, precision: 0.5)]),
            (label: "hard <&> AP 0.5", points: [(recall: .nan, precision: 1), (recall: 0.2, precision: 0.8), (recall: 0.6, precision: 0.3)]),
            (label: "single", points: [(recall: 0.3, precision: 0.3)]),
        ], title: "WIDER \"val\" PR")
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("WIDER &quot;val&quot; PR"))
        #expect(svg.contains("hard &lt;&amp;&gt; AP 0.5"))
        #expect(svg.contains("easy AP 0.9000"))
        #expect(svg.contains(">Recall<") && svg.contains(">Precision<"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("<circle"))
        #expect(!svg.contains("nan"))
        // Tick labels 0.0 ... 1.0 on both axes.
        for tick in ["0.0", "0.5", "1.0"] {
            #expect(svg.components(separatedBy: ">\(tick)</text>").count - 1 == 2)
        }
        // Recall 0.5 maps to the middle of the 610-pixel plot starting at x = 80.
        #expect(svg.contains("385.00,"))
    }

    @Test("Fixed formatting")
    func fixed() {
        #expect(formatFixed(0.12345, digits: 4) == "0.1235")
        #expect(formatFixed(-1.5, digits: 2) == "-1.50")
        #expect(formatFixed(2, digits: 0) == "2")
        #expect(formatFixed(-0.00001, digits: 2) == "0.00")
    }
}

@Suite("PR curve SVG of a real evaluation")
struct SVGEvaluationTests {
    @Test("The synthetic evaluation renders three labelled curves", .requires(.wider))
    func synthetic() throws {
        let text = try Loaded.textGroundTruth.get()
        let result = WiderOfficialProtocol.evaluate(groundTruth: text, predictions: SyntheticPredictions.generate(groundTruth: text))
        let curves = result.labelledCurves
        #expect(curves.map(\.label) == ["easy AP 0.5568", "medium AP 0.6105", "hard AP 0.6492"])
        #expect(curves.allSatisfy { !$0.points.isEmpty })
        var series = curves
        var sizes: [String: ImageSize] = [:]
        for key in text.keys { sizes[key] = jpegSize(path: SharedData.imageDirectory + "/" + key + ".jpg") }
        let st = try STProtocol.evaluate(groundTruth: text, predictions: SyntheticPredictions.generate(groundTruth: text), imageSizes: sizes)
        series.append((label: "ST AP@0.5 \(formatFixed(st.averagePrecision, digits: 4))", points: st.interpolatedPoints))
        let svg = renderPRCurvesSVG(series: series, title: "Synthetic predictions, 203 WIDER val images")
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        // Set EVALUATION_SVG_OUT to keep the picture for a look.
        if let path = ProcessInfo.processInfo.environment["EVALUATION_SVG_OUT"] {
            try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}

import Testing
@testable import Engine

/// Tests a RESIZE_BILINEAR int8 variant against the reference: `ResizeTester().input(1, 5, 7, 24)
/// .output(10, 14).alignCorners(false).halfPixelCenters(true)`, random int8 input; byte-identical
/// outputs.
public struct ResizeTester: Sendable {
    var input = [1, 1, 1, 1], outH = 1, outW = 1
    var alignCorners = false, halfPixelCenters = false

    public init() {}

    public func input(_ n: Int, _ h: Int, _ w: Int, _ c: Int) -> Self { var t = self; t.input = [n, h, w, c]; return t }
    public func output(_ h: Int, _ w: Int) -> Self { var t = self; t.outH = h; t.outW = w; return t }
    public func alignCorners(_ on: Bool) -> Self { var t = self; t.alignCorners = on; return t }
    public func halfPixelCenters(_ on: Bool) -> Self { var t = self; t.halfPixelCenters = on; return t }

    public func test(_ variant: KernelVariantID, _ r: inout Rng) throws -> TesterOutcome {
        guard variant.op == .resizeBilinearQS8 else {
            Issue.record("ResizeTester cannot test \(variant.testDescription)")
            return TesterOutcome()
        }
        let xs = NHWC(input), ys = NHWC([input[0], outH, outW, input[3]])
        // Shapes the op refuses (fixed-point positions past the input) are not kernel cases.
        for (inSize, outSize) in [(xs.h, outH), (xs.w, outW)] {
            let s = ResizeBilinearQS8Reference.scale10(inSize, outSize, alignCorners: alignCorners)
            if ResizeBilinearQS8Reference.interpolation(outSize - 1, scale10: s, halfPixelCenters: halfPixelCenters, inputSize: inSize).1 > inSize - 1 {
                return .declined("\(variant.testDescription) \(input) -> \(outH)x\(outW): refused by the op")
            }
        }
        let label = "\(variant.testDescription) \(input) -> \(outH)x\(outW) align \(alignCorners) half \(halfPixelCenters)"
        let s = ResizeBilinear.Setup(input: xs, output: ys, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
        let o = KernelOperands(inputs: [0], output: align64(xs.count))
        return compare(try variant.maker(ResizeBilinear.qs8)(s, o), ResizeBilinear.qs8.reference(s, o), xs.count, ys.count, &r, label: label)
    }
}

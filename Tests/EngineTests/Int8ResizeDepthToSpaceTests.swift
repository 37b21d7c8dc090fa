import Testing
@testable import Engine

/// The int8 RESIZE_BILINEAR and DEPTH_TO_SPACE kernels on hand-computed cases (TensorFlow Lite's
/// reference int8 semantics: 10-bit fixed-point positions, rounding half away from zero).
@Suite struct Int8ResizeDepthToSpaceTests {
    /// Runs `kernel` on an arena holding `input` at 0 and returns `count` output bytes at 256.
    static func run(_ kernel: any Kernel, _ input: [Int8], count: Int) -> [Int8] {
        let arena = UnsafeMutableRawPointer.allocate(byteCount: 512, alignment: 64)
        defer { arena.deallocate() }
        arena.initializeMemory(as: UInt8.self, repeating: 0x5A, count: 512)
        for (i, v) in input.enumerated() { arena.storeBytes(of: v, toByteOffset: i, as: Int8.self) }
        kernel.eval(arena: arena)
        return (0..<count).map { arena.load(fromByteOffset: 256 + $0, as: Int8.self) }
    }

    static func kernels(_ x: NHWC, _ y: NHWC, align: Bool, half: Bool) -> [any Kernel] {
        [ResizeBilinearQS8Reference(input: x, output: y, alignCorners: align, halfPixelCenters: half, inputOffset: 0, outputOffset: 256),
         ResizeBilinearQS8Portable(input: x, output: y, alignCorners: align, halfPixelCenters: half, inputOffset: 0, outputOffset: 256)]
    }

    /// 2x2 -> 3x3, no flags: scale_10 = (2048 + 1) / 3 = 683; rows and columns at 0, 683 (0..1,
    /// weights 341/683) and 1366 (1..1). E.g. the centre: (10*341*341 + 20*341*683 + 30*683*341
    /// - 40*683*683) / 2^20 = -5,851,600 / 2^20 = -5.58 -> -6.
    @Test func upscaleTwoByTwo() {
        for k in Self.kernels(NHWC([1, 2, 2, 1]), NHWC([1, 3, 3, 1]), align: false, half: false) {
            #expect(Self.run(k, [10, 20, 30, -40], count: 9) == [10, 17, 20, 23, -6, -20, 30, -17, -40], "\(type(of: k))")
        }
    }

    /// 1x2 -> 1x4 with half-pixel centres: scale_10 = 512, columns at -256 (clamped to 0..0),
    /// 256, 768, 1280 (1..1). Values 1, -1 give 1, 0.5, -0.5, -1: the ties round away from zero,
    /// to 1, 1, -1, -1 (a float kernel would give 1, 0.5, -0.5, -1).
    @Test func halfPixelTiesRoundAwayFromZero() {
        for k in Self.kernels(NHWC([1, 1, 2, 1]), NHWC([1, 1, 4, 1]), align: false, half: true) {
            #expect(Self.run(k, [1, -1], count: 4) == [1, 1, -1, -1], "\(type(of: k))")
            #expect(Self.run(k, [0, 100], count: 4) == [0, 25, 75, 100], "\(type(of: k))")
        }
    }

    /// align_corners 2 -> 3: scale_10 = (1024 + 1) / 2 = 512, columns at 0, 512, 1024: the ends
    /// are the input's, the middle the mean: (-127 + 126) / 2 = -0.5 -> -1, (-3 + 4) / 2 = 0.5 -> 1,
    /// (127 + 127) / 2 = 127. Nine channels (one past the portable kernel's eight lanes).
    @Test func alignCornersOverChannels() {
        let input: [Int8] = [-127, -3, 5, 0, 1, 127, -1, 2, 60] + [126, 4, -4, 0, 0, 127, 0, -3, -61]
        let want: [Int8] = input.prefix(9) + (0..<9).map { c -> Int8 in
            let sum = Int(input[c]) + Int(input[9 + c])   // * 512 * 1024 / 2^20 = sum / 2
            return Int8(sum > 0 ? (sum + 1) / 2 : (sum - 1) / 2)
        } + input.suffix(9)
        for k in Self.kernels(NHWC([1, 1, 2, 9]), NHWC([1, 1, 3, 9]), align: true, half: false) {
            #expect(Self.run(k, input, count: 27) == want, "\(type(of: k))")
        }
        #expect(Array(want[9..<18]) == [-1, 1, 1, 0, 1, 127, -1, -1, -1])
    }

    /// DEPTH_TO_SPACE on int8 (a byte shuffle): [1, 1, 2, 8] with block 2 -> [1, 2, 4, 2];
    /// output[0, dy, 2w + dx, c] = input[0, 0, w, (2 dy + dx) * 2 + c].
    @Test func depthToSpaceInt8() {
        let input: [Int8] = [0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1]
        let k = DepthToSpaceReference(input: NHWC([1, 1, 2, 8]), block: 2, elementSize: 1, inputOffset: 0, outputOffset: 256)
        #expect(Self.run(k, input, count: 16) == [0, 1, 2, 3, -8, -7, -6, -5, 4, 5, 6, 7, -4, -3, -2, -1])
    }
}

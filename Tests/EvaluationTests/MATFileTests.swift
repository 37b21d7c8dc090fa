import Foundation
import TestSupport
import Testing
@testable import Evaluation

@Suite("MAT level-5 reader")
struct MATFileTests {
    let builder = MATBuilder()

    @Test("Numeric, char, cell, struct, logical, complex and small elements, both byte orders")
    func handBuiltFile() throws {
        for littleEndian in [true, false] {
            let b = MATBuilder(littleEndian: littleEndian)
            var bytes = b.header()
            bytes += b.doubleMatrix(name: "a", rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6.5])
            bytes += b.charMatrix(name: "s", "héllo")
            // Cell {int32 scalar stored in a small element, 'hi'} compressed.
            let scalar = b.matrix(classCode: 12, dimensions: [1, 1], name: "", body: b.smallElement(type: 5, data: b.int32s([-7])))
            bytes += b.compressed(b.matrix(classCode: 1, dimensions: [1, 2], name: "c", body: scalar + b.charMatrix(name: "", "hi")))
            // Struct with fields x (double) and yy (empty miMATRIX).
            let fieldNames = Array("x".utf8) + [0, 0, 0] + Array("yy".utf8) + [0, 0]
            let structBody = b.smallElement(type: 5, data: b.int32s([4])) + b.element(type: 1, data: fieldNames)
                + b.doubleMatrix(name: "", rows: 1, columns: 1, values: [42]) + b.element(type: 14, data: [])
            bytes += b.matrix(classCode: 2, dimensions: [1, 1], name: "st", body: structBody)
            // Logical 1x3 stored as miUINT8 in a small element; complex 1x1 double stored as miINT8.
            bytes += b.matrix(classCode: 9, flags: 0x0200, dimensions: [1, 3], name: "l", body: b.smallElement(type: 2, data: [1, 0, 1]))
            bytes += b.matrix(classCode: 6, flags: 0x0800, dimensions: [1, 1], name: "z",
                              body: b.smallElement(type: 1, data: [3]) + b.smallElement(type: 1, data: [0xFE]))
            // UTF-8 character data.
            bytes += b.matrix(classCode: 4, dimensions: [1, 2], name: "u", body: b.element(type: 16, data: Array("é€".utf8)))

            let file = try MATFile(bytes: bytes, fileName: "hand.mat")
            #expect(file.isLittleEndian == littleEndian)
            #expect(file.headerText == "MATLAB 5.0 MAT-file, test")
            #expect(file.variables.map(\.name) == ["a", "s", "c", "st", "l", "z", "u"])
            let a = try #require(file["a"]?.numeric)
            #expect(a.dimensions == [2, 3])
            #expect(a.real == [1, 2, 3, 4, 5, 6.5])
            #expect(a.value(row: 1, column: 2) == 6.5)
            #expect(a.value(row: 2, column: 0) == nil)
            #expect(file["s"]?.string == "héllo")
            let cell = try #require(file["c"]?.cell)
            #expect(cell.count == 2)
            #expect(cell[0]?.numeric?.real == [-7])
            #expect(cell[0]?.numeric?.matClass == .int32)
            #expect(cell[1]?.string == "hi")
            #expect(cell[2] == nil)
            let structure = try #require(file["st"]?.structure)
            #expect(structure.fieldNames == ["x", "yy"])
            #expect(structure.elements.first?["x"]?.numeric?.real == [42])
            #expect(structure.elements.first?["yy"]?.elementCount == 0)
            let logical = try #require(file["l"]?.numeric)
            #expect(logical.isLogical)
            #expect(logical.real == [1, 0, 1])
            let complex = try #require(file["z"]?.numeric)
            #expect(complex.real == [3])
            #expect(complex.imaginary == [-2])
            #expect(file["u"]?.string == "é€")
        }
    }

    @Test("Reads the real WIDER evaluation files", .requires(.wider))
    func realFile() throws {
        let file = try MATFile(contentsOfFile: SharedData.matFile("wider_hard_val.mat"))
        #expect(file.headerText.hasPrefix("MATLAB 5.0 MAT-file, Platform: GLNXA64"))
        #expect(Set(file.variables.map(\.name)).isSuperset(of: ["event_list", "file_list", "face_bbx_list", "gt_list"]))
        let events = try #require(file["event_list"]?.cell)
        #expect(events.dimensions == [61, 1])
        #expect(events[0]?.string == "0--Parade")
        let gtList = try #require(file["gt_list"]?.cell?[0]?.cell?[0]?.numeric)
        #expect(gtList.real == [31, 32, 125])
    }

    @Test("Truncated real file throws at every cut, never traps", .requires(.wider))
    func truncations() throws {
        let path = SharedData.matFile("wider_easy_val.mat")
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        // A cut right after the header is a valid file without variables.
        #expect(try MATFile(bytes: Array(bytes.prefix(128)), fileName: "header-only.mat").variables.isEmpty)
        var cuts = [0, 1, 100, 127, 129, 131, 135, 136, 140, 200, 1000]
        cuts += stride(from: 5000, to: bytes.count, by: bytes.count / 23).map { $0 }
        cuts.append(bytes.count - 1)
        for cut in cuts {
            do {
                _ = try MATFile(bytes: Array(bytes.prefix(cut)), fileName: "easy-cut-\(cut).mat")
                Issue.record("cut at \(cut) did not throw")
            } catch let error as MATError {
                #expect(error.fileName == "easy-cut-\(cut).mat")
                #expect(error.description.contains("easy-cut-\(cut).mat"))
            }
        }
    }

    @Test("Corrupted real file throws (or parses) but never traps", .requires(.wider))
    func corruptions() throws {
        let path = SharedData.matFile("wider_medium_val.mat")
        let original = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        // Endian indicator and version.
        var bytes = original
        bytes[126] = UInt8(ascii: "X")
        #expect(throws: MATError.self) { try MATFile(bytes: bytes, fileName: "bad.mat") }
        bytes = original
        bytes[124] = 0x00
        bytes[125] = 0x02
        #expect(throws: MATError.self) { try MATFile(bytes: bytes, fileName: "bad.mat") }
        // Huge size in the first tag.
        bytes = original
        bytes[132] = 0xFF; bytes[133] = 0xFF; bytes[134] = 0xFF; bytes[135] = 0x7F
        #expect(throws: MATError.self) { try MATFile(bytes: bytes, fileName: "bad.mat") }
        // Flipped bytes inside the zlib stream: Adler-32 or the deflate decoder catches them.
        for position in [140, 141, 1000, 20_000, 200_000] {
            bytes = original
            bytes[position] ^= 0x5A
            #expect(throws: MATError.self, "flip at \(position)") { try MATFile(bytes: bytes, fileName: "bad.mat") }
        }
        // Deterministic random byte changes in the inflated data of a small hand-built file, so that
        // the structure parser (not only zlib's checksum) sees corrupt tags, sizes and classes.
        var rng = SplitMix64(state: 7)
        let b = builder
        let fieldNames = Array("ab".utf8) + [0, 0, 0, 0, 0, 0]
        let inner = b.matrix(classCode: 2, dimensions: [1, 2], name: "s", body: b.smallElement(type: 5, data: b.int32s([8]))
            + b.element(type: 1, data: fieldNames)
            + b.matrix(classCode: 1, dimensions: [1, 2], name: "", body: b.charMatrix(name: "", "x") + b.doubleMatrix(name: "", rows: 1, columns: 2, values: [1, 2]))
            + b.charMatrix(name: "", "hello") + b.element(type: 14, data: []) + b.doubleMatrix(name: "", rows: 2, columns: 1, values: [3, 4]))
        var outcomes = (parsed: 0, failed: 0)
        for _ in 0..<3000 {
            var mutated = inner
            for _ in 0...rng.uniform(3) {
                mutated[rng.uniform(mutated.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                _ = try MATFile(bytes: b.header() + b.compressed(mutated), fileName: "fuzz.mat")
                outcomes.parsed += 1
            } catch is MATError {
                outcomes.failed += 1
            }
        }
        #expect(outcomes.parsed + outcomes.failed == 3000)
        #expect(outcomes.failed > 1000)
        // Unknown top-level type, garbage tail.
        #expect(throws: MATError.self) { try MATFile(bytes: original + [1, 2, 3], fileName: "tail.mat") }
    }

    @Test("Hostile structures fail cleanly")
    func hostile() throws {
        let b = builder
        func parse(_ body: [UInt8]) throws -> MATFile { try MATFile(bytes: b.header() + body, fileName: "hostile.mat") }
        // A cell claiming 2^31 - 1 cells.
        #expect(throws: MATError.self) { try parse(b.matrix(classCode: 1, dimensions: [Int32.max, 1], name: "c", body: [])) }
        // Dimensions whose product overflows.
        #expect(throws: MATError.self) {
            try parse(b.matrix(classCode: 6, dimensions: [Int32.max, Int32.max, Int32.max, Int32.max, Int32.max], name: "d", body: []))
        }
        // Negative dimension.
        #expect(throws: MATError.self) { try parse(b.matrix(classCode: 6, dimensions: [-1, 1], name: "d", body: [])) }
        // Data count not matching the dimensions.
        #expect(throws: MATError.self) { try parse(b.doubleMatrix(name: "d", rows: 2, columns: 2, values: [1, 2, 3])) }
        // Unknown class, sparse.
        #expect(throws: MATError.self) { try parse(b.matrix(classCode: 99, dimensions: [1, 1], name: "d", body: [])) }
        #expect(throws: MATError.self) { try parse(b.matrix(classCode: 5, dimensions: [1, 1], name: "d", body: [])) }
        // A small element claiming more than 4 bytes.
        #expect(throws: MATError.self) { try parse(b.matrix(classCode: 12, dimensions: [1, 1], name: "", body: b.uint32(7 << 16 | 5) + [0, 0, 0, 0])) }
        // Cells nested deeper than the limit.
        var nested = b.doubleMatrix(name: "", rows: 1, columns: 1, values: [1])
        for _ in 0..<80 { nested = b.matrix(classCode: 1, dimensions: [1, 1], name: "", body: nested) }
        #expect(throws: MATError.self) { try parse(nested) }
        // A decompression bomb beyond the per-element cap.
        let zeros = b.doubleMatrix(name: "z", rows: 1, columns: 400_000, values: [Double](repeating: 0, count: 400_000))
        let bomb = b.header() + b.compressed(zeros)
        let limits = MATReadLimits(maxInflatedBytesPerElement: 1 << 20, maxInflatedBytesTotal: 1 << 30, maxNestingDepth: 64)
        do {
            _ = try MATFile(bytes: bomb, fileName: "bomb.mat", limits: limits)
            Issue.record("bomb did not throw")
        } catch let error as MATError {
            #expect(error.reason.contains("inflates to more than"))
            #expect(error.offset == 128)
        }
        #expect(try MATFile(bytes: bomb, fileName: "bomb.mat").variables.first?.value.elementCount == 400_000)
        // A truncated zlib stream and an empty one.
        var cut = b.compressed(b.doubleMatrix(name: "x", rows: 1, columns: 100, values: (0..<100).map(Double.init)))
        cut = Array(cut.prefix(cut.count - 10))
        cut.replaceSubrange(4..<8, with: b.uint32(UInt32(cut.count - 8)))
        #expect(throws: MATError.self) { try parse(cut) }
        #expect(throws: MATError.self) { try parse(b.element(type: 15, data: [])) }
    }

    @Test("Error messages give file, reason and offset")
    func errorDescription() {
        let plain = MATError(fileName: "f.mat", reason: "bad thing", offset: 12)
        #expect(plain.description == "f.mat: bad thing (at file byte 12)")
        let inner = MATError(fileName: "f.mat", reason: "bad thing", offset: 3, compressedElementOffset: 128)
        #expect(inner.description == "f.mat: bad thing (at byte 3 of the data inflated from the compressed element at file byte 128)")
    }
}

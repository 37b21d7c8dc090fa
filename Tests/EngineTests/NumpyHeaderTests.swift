import Foundation
import Testing
@testable import ModelTools

/// The `.npy` header is read strictly (issue #15, lesser findings): every key once, `fortran_order`
/// as True or False, a well-formed shape; errors quote the header safely.
@Suite struct NumpyHeaderTests {
    static func npy(_ header: String, data: [UInt8] = [1, 2, 3, 4]) -> [UInt8] {
        var h = Array(header.utf8)
        while (10 + h.count + 1) % 16 != 0 { h.append(0x20) }
        h.append(0x0a)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.count & 0xff), UInt8(h.count >> 8)] + h + data
    }

    static func error(_ header: String) -> String? {
        do {
            _ = try NumpyArray(npyBytes: npy(header))
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func wellFormedHeadersParse() throws {
        let a = try NumpyArray(npyBytes: Self.npy("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }"))
        #expect(a.shape == [4] && a.type == .int8)
        let b = try NumpyArray(npyBytes: Self.npy("{'shape': (2, 2), \"fortran_order\": False, 'descr': '|u1'}"))
        #expect(b.shape == [2, 2])
        let c = try NumpyArray(npyBytes: Self.npy("{'descr': '|u1', 'fortran_order': False, 'shape': ()}", data: [7]))
        #expect(c.shape == [] && c.data == [7])
    }

    @Test(arguments: [
        ("{'descr': '|i1', 'shape': (4,), }", "no 'fortran_order'"),
        ("{'descr': '|i1', 'fortran_order': 1, 'shape': (4,), }", "must be True or False"),
        ("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), 'shape': (2, 2)}", "repeats 'shape'"),
        ("{'descr': '|i1', 'descr': '<f4', 'fortran_order': False, 'shape': (4,)}", "repeats 'descr'"),
        ("{'descr': '|i1', 'fortran_order': False, 'shape': (1,128,128,3,,,)}", "bad dimension"),
        ("{'descr': '|i1', 'fortran_order': False, 'shape': (4)}", "is written (n,)"),
        ("{'descr': '|i1', 'fortran_order': False, 'shape': (-4,)}", "bad dimension"),
        ("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), 'extra': 1}", "unknown key"),
        ("{'descr': '|i1', 'fortran_order': True, 'shape': (4,)}", "Fortran-order"),
    ])
    func malformedHeadersAreNamed(header: String, message: String) throws {
        let e = try #require(Self.error(header), "accepted: \(header)")
        #expect(e.contains(message), "\(e)")
    }

    @Test func errorsDoNotEchoRawBytes() throws {
        let e = try #require(Self.error("{'descr': '\u{1b}[31m\u{07}', 'fortran_order': False, 'shape': (4,)}"))
        #expect(!e.contains("\u{1b}") && !e.contains("\u{07}"), "\(e)")
        #expect(e.contains("\\x1b"), "\(e)")
    }

    @Test func aFIFOIsRefusedNotWaitedOn() throws {
        let path = NSTemporaryDirectory() + "npy-fifo-" + UUID().uuidString
        #expect(mkfifo(path, 0o600) == 0)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: NumpyError.self) { try NumpyArray(contentsOfFile: path) }
    }
}

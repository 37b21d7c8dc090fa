import Foundation

/// An immutable, 64-byte aligned block of bytes with a stable address, owned by a class so that
/// many values (a model, its constant tensors, a prepared engine) can share it without copying.
///
/// The bytes never change after creation, so sharing across threads is safe.
public final class ByteStorage: @unchecked Sendable {
    /// The bytes. Valid for the lifetime of this object.
    public let bytes: UnsafeRawBufferPointer

    /// Copies `data` into a new aligned block.
    public init<C: Collection>(copying data: C) where C.Element == UInt8 {
        let count = data.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        let typed = raw.bindMemory(to: UInt8.self, capacity: max(count, 1))
        var i = 0
        for byte in data {
            typed[i] = byte
            i += 1
        }
        bytes = UnsafeRawBufferPointer(start: raw, count: count)
    }

    /// Reads a whole file into a new aligned block.
    ///
    /// - Throws: ``ModelError`` naming the file when it cannot be opened or read.
    public init(contentsOfFile path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelError(file: path, "no such file")
        }
        if isDirectory.boolValue { throw ModelError(file: path, "is a directory, not a model file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelError(file: path, "cannot be opened for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ModelError(file: path, "read failed: \(error.localizedDescription)")
        }
        let count = data.count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        data.withUnsafeBytes { src in
            if let base = src.baseAddress, count > 0 { raw.copyMemory(from: base, byteCount: count) }
        }
        bytes = UnsafeRawBufferPointer(start: raw, count: count)
    }

    deinit {
        if let base = bytes.baseAddress { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }
}

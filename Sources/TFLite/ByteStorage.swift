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

    /// The largest model file ``init(contentsOfFile:maximumSize:)`` reads by default: 1 GiB
    /// (FlatBuffers cannot exceed 2 GiB; BlazeFace models are under 1 MB).
    public static let defaultMaximumFileSize = 1 << 30

    /// Reads a whole regular file into a new aligned block.
    ///
    /// The file type is checked before the file is opened (and again after, opened
    /// `O_NONBLOCK`), so a FIFO, a device such as `/dev/zero` or a directory is reported at once
    /// instead of blocking or growing without end; the size is checked before anything is read.
    ///
    /// Other readers of outside files (`.npy` arrays, MAT-files, WIDER text files) use it too, so
    /// there is one checked reader; `kind` names the file in the messages.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - maximumSize: Larger files are rejected (default ``defaultMaximumFileSize``).
    ///   - kind: What the file is, for messages: `"model"` gives "is a directory, not a model file".
    /// - Throws: ``ModelError`` naming the file: missing, not a regular file, too large, unreadable.
    public init(contentsOfFile path: String, maximumSize: Int = ByteStorage.defaultMaximumFileSize, kind: String = "model") throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            throw ModelError(file: path, code == ENOENT ? "no such file" : "cannot be opened (\(Self.errorString(code)))")
        }
        if let problem = Self.notRegular(info.st_mode, kind: kind) { throw ModelError(file: path, problem) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw ModelError(file: path, "cannot be opened for reading (\(Self.errorString(errno)))")
        }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0 else { throw ModelError(file: path, "cannot stat (\(Self.errorString(errno)))") }
        if let problem = Self.notRegular(opened.st_mode, kind: kind) { throw ModelError(file: path, problem) }
        let size = Int(opened.st_size)
        guard size <= maximumSize else {
            throw ModelError(file: path, "file is \(size) bytes, larger than the \(maximumSize)-byte limit for a \(kind) file")
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 64)
        var filled = 0
        var readError: Int32 = 0
        while filled < size {
            let n = read(fd, raw + filled, size - filled)
            if n > 0 {
                filled += n
            } else if n == 0 {
                break  // the file shrank while it was read
            } else if errno != EINTR {
                readError = errno
                break
            }
        }
        guard readError == 0 else {
            raw.deallocate()
            throw ModelError(file: path, "read failed (\(Self.errorString(readError)))")
        }
        bytes = UnsafeRawBufferPointer(start: raw, count: filled)
    }

    /// nil for a regular file, otherwise "is a FIFO (named pipe), not a regular file" and the like.
    static func notRegular(_ mode: mode_t, kind fileKind: String) -> String? {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a directory, not a \(fileKind) file"
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "a special file"
        }
        return "is \(kind), not a regular file"
    }

    private static func errorString(_ code: Int32) -> String {
        guard let cString = strerror(code) else { return "errno \(code)" }
        return String(cString: cString)
    }

    deinit {
        if let base = bytes.baseAddress { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }
}

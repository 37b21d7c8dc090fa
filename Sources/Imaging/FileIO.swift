#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Minimal POSIX file helpers that report failures as `ImageError`.
///
/// Reads never block on something that is not a regular file: the type is checked with
/// `stat` before the file is opened (and again with `fstat` after, opened `O_NONBLOCK`), so a
/// FIFO, a device or a socket is reported as "not a regular file" instead of hanging.
enum FileIO {
    /// The path that means standard input.
    static let standardInputPath = "-"
    /// The name standard input has in error messages.
    static let standardInputName = "<stdin>"

    /// Reads a whole regular file, or standard input for `"-"`, of at most `limit` bytes.
    static func readAll(path: String, limit: Int = ImageDecoder.maximumFileSize) throws -> [UInt8] {
        if path == standardInputPath { return try StandardInput.bytes(limit: limit) }
        let fd = try openRegularFile(path: path)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot stat file (\(errorString(errno)))")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            throw ImageError(path: path, kind: .tooLarge, reason: "file is \(size) bytes, larger than the \(limit)-byte limit")
        }
        // Read one byte more than the size, so a file that grows while it is read is still bounded.
        return try readAll(fd: fd, name: path, limit: limit, expectedSize: size)
    }

    /// The first `count` bytes (fewer if the file is shorter) of a regular file.
    static func readHead(path: String, count: Int) throws -> [UInt8] {
        let fd = try openRegularFile(path: path)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = bytes.withUnsafeMutableBytes { raw in
            raw.baseAddress.map { FileDescriptorInput.readFully(fd, into: $0, count: count).count } ?? 0
        }
        return Array(bytes[0..<filled])
    }

    /// Opens `path` for reading after checking that it is a regular file; never blocks.
    static func openRegularFile(path: String) throws -> Int32 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot open file (\(errorString(errno)))")
        }
        if let problem = notRegular(info.st_mode) {
            throw ImageError(path: path, kind: .io, reason: problem)
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot open file (\(errorString(errno)))")
        }
        // The path may have been replaced between stat and open.
        var opened = stat()
        guard fstat(fd, &opened) == 0, notRegular(opened.st_mode) == nil else {
            close(fd)
            throw ImageError(path: path, kind: .io, reason: "not a regular file")
        }
        return fd
    }

    /// nil for a regular file, otherwise "is a FIFO (named pipe), not a regular file" and the like.
    static func notRegular(_ mode: mode_t) -> String? {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "a special file"
        }
        return "is \(kind), not a regular file"
    }

    /// Reads `fd` to its end, failing with `.tooLarge` as soon as more than `limit` bytes arrive.
    static func readAll(fd: Int32, name: String, limit: Int, expectedSize: Int = 0) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: min(max(expectedSize + 1, 1 << 16), limit + 1))
        var filled = 0
        while true {
            if filled == bytes.count {
                guard filled <= limit else {
                    throw ImageError(path: name, kind: .tooLarge, reason: "more than \(limit) bytes, the size limit")
                }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count))
            }
            let room = bytes.count - filled
            let (n, failure) = bytes.withUnsafeMutableBytes { raw -> (count: Int, error: Int32) in
                guard let base = raw.baseAddress else { return (0, 0) }
                return FileDescriptorInput.readFully(fd, into: base + filled, count: room)
            }
            filled += n
            if failure != 0 { throw ImageError(path: name, kind: .io, reason: "read failed (\(errorString(failure)))") }
            if n < room { break }  // the end of the input
        }
        guard filled <= limit else {
            throw ImageError(path: name, kind: .tooLarge, reason: "more than \(limit) bytes, the size limit")
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Writes (creating or truncating) a whole file.
    static func writeAll(path: String, bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot create file (\(errorString(errno)))")
        }
        var writeError: Int32 = 0
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var done = 0
            while done < raw.count {
                let n = write(fd, base + done, raw.count - done)
                if n > 0 {
                    done += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    writeError = n < 0 ? errno : EIO
                    break
                }
            }
        }
        let closeResult = close(fd)
        guard writeError == 0 else {
            throw ImageError(path: path, kind: .io, reason: "write failed (\(errorString(writeError)))")
        }
        guard closeResult == 0 else {
            throw ImageError(path: path, kind: .io, reason: "close failed (\(errorString(errno)))")
        }
    }

    static func errorString(_ code: Int32) -> String {
        guard let cString = strerror(code) else { return "errno \(code)" }
        return String(cString: cString)
    }
}

/// Reading from a file descriptor that does not give up on an interrupted or not-yet-ready read.
public enum FileDescriptorInput {
    /// Reads into `buffer` until it holds `count` bytes, the input ends, or a read fails. A
    /// non-blocking descriptor with nothing to read yet (standard input from a pipe opened
    /// `O_NONBLOCK` by someone else) is waited on; an interrupted read is retried.
    /// - Returns: How many bytes were read, and the `errno` of a failed read (0 if none failed).
    public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> (count: Int, error: Int32) {
        var filled = 0
        while filled < count {
            let n = read(fd, buffer + filled, count - filled)
            if n > 0 {
                filled += n
            } else if n == 0 {
                break
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pfd, 1, -1)
            } else {
                return (filled, errno)
            }
        }
        return (filled, 0)
    }
}

/// Standard input, read once (bounded) and kept, so that `"-"` decodes the same bytes every
/// time it is read in one process (detection, then drawing).
enum StandardInput {
    private static let cache = Mutex<Result<[UInt8], ImageError>?>(nil)

    static func bytes(limit: Int) throws -> [UInt8] {
        try cache.withLock { cached -> [UInt8] in
            if let cached { return try cached.get() }
            let result: Result<[UInt8], ImageError>
            if isatty(STDIN_FILENO) != 0 {
                result = .failure(ImageError(path: FileIO.standardInputName, kind: .io,
                                             reason: "standard input is a terminal; pipe an image into it (e.g. < photo.jpg)"))
            } else {
                do {
                    result = .success(try FileIO.readAll(fd: STDIN_FILENO, name: FileIO.standardInputName, limit: limit))
                } catch let error as ImageError {
                    result = .failure(error)
                } catch {
                    result = .failure(ImageError(path: FileIO.standardInputName, kind: .io, reason: "\(error)"))
                }
            }
            cached = result
            return try result.get()
        }
    }
}

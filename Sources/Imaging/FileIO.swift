#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Minimal POSIX file helpers that report failures as `ImageError`.
enum FileIO {
    /// Largest file `readAll` accepts (1 GiB); anything bigger is not a sane image.
    static let maximumFileSize = 1 << 30

    /// Reads a whole regular file.
    static func readAll(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot open file (\(errorString(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ImageError(path: path, kind: .io, reason: "cannot stat file (\(errorString(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImageError(path: path, kind: .io, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= maximumFileSize else {
            throw ImageError(path: path, kind: .tooLarge, reason: "file is \(size) bytes, larger than the \(maximumFileSize)-byte limit")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        var readError: Int32 = 0
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while filled < size {
                let n = read(fd, base + filled, size - filled)
                if n > 0 {
                    filled += n
                } else if n == 0 {
                    break  // file shrank while reading
                } else if errno != EINTR {
                    readError = errno
                    break
                }
            }
        }
        guard readError == 0 else {
            throw ImageError(path: path, kind: .io, reason: "read failed (\(errorString(readError)))")
        }
        if filled < size { bytes.removeSubrange(filled...) }
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

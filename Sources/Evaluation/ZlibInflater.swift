import CZlib

/// Streaming zlib decompression with a size cap (the body of a miCOMPRESSED element).
enum ZlibInflater {
    /// Why inflation failed.
    enum Failure: Error, Equatable {
        /// The stream is not valid zlib data; zlib's message.
        case corrupt(String)
        /// The input ended before the end of the zlib stream.
        case truncated
        /// The output would exceed the cap.
        case tooLarge(limit: Int)
        /// zlib could not start (out of memory, version mismatch).
        case unavailable(String)
    }

    /// Output is produced in chunks of this many bytes.
    static let chunkSize = 1 << 16

    /// Inflates a complete zlib stream.
    ///
    /// Bytes after the end of the zlib stream are ignored. Never loops without progress: a call
    /// to `inflate` that consumes no input and produces no output ends the loop with an error.
    /// - Parameters:
    ///   - input: The zlib stream (header, deflate data, Adler-32 trailer).
    ///   - limit: The largest acceptable output size in bytes.
    /// - Returns: The inflated bytes, or why that failed.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) -> Result<[UInt8], Failure> {
        guard input.count <= Int(UInt32.max) else { return .failure(.corrupt("input larger than 4 GiB")) }
        var stream = z_stream()
        let initStatus = inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            return .failure(.unavailable("inflateInit failed with status \(initStatus)"))
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        return input.withUnsafeBufferPointer { inputBuffer -> Result<[UInt8], Failure> in
            guard let inputBase = inputBuffer.baseAddress, inputBuffer.count > 0 else {
                return .failure(.truncated)
            }
            stream.next_in = UnsafeMutablePointer(mutating: inputBase)
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let availableBefore = stream.avail_in
                var status: Int32 = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return chunkBuffer.count - Int(stream.avail_out)
                }
                if produced > limit - output.count {
                    return .failure(.tooLarge(limit: limit))
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return .success(output)
                case Z_OK:
                    if produced == 0 && stream.avail_in == availableBefore {
                        return .failure(stream.avail_in == 0 ? .truncated : .corrupt("zlib made no progress"))
                    }
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { return .failure(.truncated) }
                    if produced == 0 && stream.avail_in == availableBefore {
                        return .failure(.corrupt("zlib made no progress"))
                    }
                case Z_NEED_DICT:
                    return .failure(.corrupt("stream needs a preset dictionary"))
                case Z_MEM_ERROR:
                    return .failure(.unavailable("zlib ran out of memory"))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    return .failure(.corrupt(message))
                }
            }
        }
    }
}

import ArgumentParser
import Foundation

/// `detect --shard I/N`: this process's share of the inputs, chosen by a stable hash (64-bit
/// FNV-1a) of each image's path relative to the folder it was found in, so that N processes
/// (Kubernetes Indexed Job completions, Slurm array tasks) split a folder the same way however
/// it is listed, and together cover it exactly once.
struct Shard: ExpressibleByArgument, Sendable {
    /// This shard, 0 ..< count.
    var index: Int
    /// The number of shards.
    var count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, (0..<n).contains(i) else { return nil }
        (index, count) = (i, n)
    }

    /// Whether the image at `relative` is this shard's.
    func owns(_ relative: String) -> Bool {
        Int(Self.fnv1a(relative) % UInt64(count)) == index
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: the same on every machine and every run.
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }
}

/// `detect --resume`: the images a JSON lines output already has, so that a killed job restarts
/// where it stopped. A last line cut short by the kill is removed first (its image is done again).
enum ResumeLog {
    /// The `path` of every complete record in `file` (none when it does not exist yet).
    ///
    /// - Throws: `CLIError` when the file cannot be read or repaired, or a complete line is not
    ///   a record (not JSON lines from `detect`).
    static func completedPaths(in file: String) throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("\(file): cannot read the output to resume") }
        let bytes = [UInt8](data)
        let complete = (bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        if complete < bytes.count {
            guard truncate(file, off_t(complete)) == 0 else {
                throw CLIError("\(file): cannot remove the incomplete last line: \(String(cString: strerror(errno)))")
            }
        }
        var paths: Set<String> = []
        for (n, line) in bytes[..<complete].split(separator: UInt8(ascii: "\n")).enumerated() {
            guard let record = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                  let path = record["path"] as? String else {
                throw CLIError("\(file):\(n + 1): not a JSON lines record of detect; --resume needs the output of an earlier run")
            }
            paths.insert(path)
        }
        return paths
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `scripts/install.sh` puts the models, found from the running executable: a binary
/// installed as `PREFIX/bin/blazeface` finds them in `PREFIX/share/blazeface/models`.
public enum InstalledModels {
    /// The models folder relative to the folder holding the executable.
    public static let relativePath = "../share/blazeface/models"

    /// The installed models folder of the running executable, if it exists: the executable's
    /// real path (symbolic links resolved, so `/usr/local/bin/blazeface -> /opt/blazeface/bin/...`
    /// finds `/opt/blazeface/share/...`), then ``folder(forExecutable:)``.
    public static func folder() -> String? {
        guard let executable = executablePath() else { return nil }
        let candidate = folder(forExecutable: executable)
        return isDirectory(candidate) ? candidate : nil
    }

    /// `<folder of executable>/../share/blazeface/models`, normalised (no `..`); whether it
    /// exists is not checked. A relative `executable` gives a relative result.
    public static func folder(forExecutable executable: String) -> String {
        var components = executable.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        components.removeLast()  // the executable's name
        for part in relativePath.split(separator: "/").map(String.init) {
            if part == ".." {
                if !components.isEmpty { components.removeLast() }
            } else {
                components.append(part)
            }
        }
        return (executable.hasPrefix("/") ? "/" : "") + components.joined(separator: "/")
    }

    /// The running executable's real path (`/proc/self/exe` on Linux, else `argv[0]` resolved).
    public static func executablePath() -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        #endif
        guard let argv0 = CommandLine.arguments.first, argv0.contains("/") else { return nil }
        guard let resolved = realpath(argv0, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

import Foundation

/// What a finished process wrote and how it exited.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs an executable to completion, as a user would from a shell, with `environment` merged over
/// this process's environment and, when given, `stdin` written to its standard input (from a
/// thread of its own, so a large input cannot block on a full pipe).
public func runProcess(_ executable: String, _ args: [String], environment: [String: String] = [:],
                       stdin input: [UInt8]? = nil) throws -> ProcessOutput {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let inPipe = Pipe()
    if input != nil { p.standardInput = inPipe }
    try p.run()
    if let input {
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(input))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessOutput(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

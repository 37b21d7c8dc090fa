import ArgumentParser
import Installation
import Foundation

/// The `blazeface` command-line tool.
@main
struct BlazeFaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blazeface",
        abstract: "BlazeFace face detection with a bit-exact TFLite engine written in Swift.",
        version: BlazeFaceVersion.string,
        subcommands: [DetectCommand.self, EvalCommand.self, InspectCommand.self, RunCommand.self, BenchCommand.self, ModelsCommand.self,
                      AnonymizeCommand.self, CropCommand.self, QuantizeCommand.self, ExportCommand.self, ServeCommand.self]
    )
}

/// Writes a line to standard error.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// An error that the tool reports as `error: <message>` with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Runs `body`, turning library errors into a clean message and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as CleanExit {
        throw e
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

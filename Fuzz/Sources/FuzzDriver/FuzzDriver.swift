/// libFuzzer glue. SwiftPM links an executable with `--defsym main=<module>_main`, so libFuzzer's
/// own `main` never runs: each target's `main.swift` calls ``fuzz(_:)``, which hands libFuzzer's
/// command line to `LLVMFuzzerRunDriver` with the target's body.

typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> Int32

/// The body of the running target (one per process, set once before the driver starts).
nonisolated(unsafe) private var body: ([UInt8]) -> Void = { _ in }

/// libFuzzer's entry point, also required at link time by libFuzzer's object files.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    body(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

/// Runs libFuzzer with this process's arguments over `target` and returns its exit status.
public func fuzz(_ target: @escaping ([UInt8]) -> Void) -> Int32 {
    body = target
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput)
}

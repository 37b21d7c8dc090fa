import Engine
import FuzzDriver
import Glibc
import TFLite

// A model that reads must prepare or fail with an error: never trap.
exit(fuzz { bytes in
    guard let model = try? TFLiteModel(bytes: bytes, source: "fuzz") else { return }
    _ = try? CompiledModel(model: model)
})

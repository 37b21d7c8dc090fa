@testable import Evaluation
import FuzzDriver
import Glibc

// The same text as a prediction file, a ground-truth box file and a keep file.
exit(fuzz { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? WiderPredictionSet.parse(text: text, file: "fuzz.txt")
    _ = try? WiderGroundTruth.parseBoxFile(text: text, file: "fuzz_gt.txt")
    _ = try? WiderGroundTruth.parseKeepFile(text: text, file: "fuzz_keep.txt")
})

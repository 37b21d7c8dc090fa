import Foundation
import TestSupport
@testable import Evaluation

/// Paths of the WIDER FACE data under ../shared.
extension SharedData {
    static var wider: String { (root as NSString).appendingPathComponent("data/wider_face") }
    static var matDirectory: String { (wider as NSString).appendingPathComponent("eval_tools_ground_truth") }
    static var splitDirectory: String { (wider as NSString).appendingPathComponent("wider_face_split") }
    static var imageDirectory: String { (wider as NSString).appendingPathComponent("WIDER_val/images") }
    static func matFile(_ name: String) -> String { (matDirectory as NSString).appendingPathComponent(name) }
}

/// Ground truth loaded once per process (the MAT route inflates ~16 MB).
enum Loaded {
    static let matGroundTruth: Result<WiderGroundTruth, Error> = Result { try WiderGroundTruth.loadMAT(directory: SharedData.matDirectory) }
    static let textGroundTruth: Result<WiderGroundTruth, Error> = Result { try WiderGroundTruth.loadText(splitDirectory: SharedData.splitDirectory) }
}

/// A fresh temporary folder.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("evaluation-tests-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Reads the pixel size of a baseline or progressive JPEG from its SOF marker.
func jpegSize(path: String) -> ImageSize? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    let bytes = [UInt8](data)
    var index = 2
    while index + 9 < bytes.count {
        guard bytes[index] == 0xFF else { index += 1; continue }
        let marker = bytes[index + 1]
        if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) || marker == 0xFF {
            index += marker == 0xFF ? 1 : 2
            continue
        }
        let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
        if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
            let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
            let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
            return ImageSize(width: width, height: height)
        }
        index += 2 + length
    }
    return nil
}

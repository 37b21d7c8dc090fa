import Foundation

/// WIDER FACE ground truth: for every image, its face boxes and the faces counted in the easy,
/// medium and hard settings.
///
/// Load it from the official evaluation files (``loadMAT(directory:)``) or from the split text
/// files (``loadText(splitDirectory:)``); both give the same content for the same images.
/// Evaluate on a subset of images with ``restricted(to:)``.
public struct WiderGroundTruth: Sendable, Equatable {
    /// The images, in the order of the source files.
    public let images: [WiderImageAnnotation]
    private let indexByKey: [String: Int]

    /// Creates ground truth from annotations, checking keys are unique and indices in range.
    /// - Parameters:
    ///   - images: The annotations.
    ///   - source: A file name (or names) used in error messages.
    /// - Throws: ``EvaluationDataError`` for a repeated key or an index outside `1...faces.count`.
    public init(images: [WiderImageAnnotation], source: String = "ground truth") throws {
        var index: [String: Int] = [:]
        for (position, image) in images.enumerated() {
            guard index[image.key] == nil else {
                throw EvaluationDataError(file: source, reason: "image \(image.key) appears twice")
            }
            index[image.key] = position
            for difficulty in WiderDifficulty.allCases {
                for face in image.countedIndices(difficulty) where face < 1 || face > image.faces.count {
                    throw EvaluationDataError(
                        file: source,
                        reason: "image \(image.key): \(difficulty) face index \(face) is outside 1...\(image.faces.count)")
                }
            }
        }
        self.images = images
        self.indexByKey = index
    }

    /// The image keys ("event/name") in order.
    public var keys: [String] { images.map(\.key) }

    /// The distinct events, in order of first appearance.
    public var events: [String] {
        var seen = Set<String>()
        return images.map(\.event).filter { seen.insert($0).inserted }
    }

    /// The annotation of an image, or nil.
    /// - Parameter key: "event/name".
    public func image(forKey key: String) -> WiderImageAnnotation? {
        indexByKey[key].map { images[$0] }
    }

    /// The number of face boxes over all images.
    public var faceCount: Int {
        images.reduce(0) { $0 + $1.faces.count }
    }

    /// The number of faces counted in a setting over all images (the official `count_face`).
    /// - Parameter difficulty: The setting.
    public func countedFaceCount(_ difficulty: WiderDifficulty) -> Int {
        images.reduce(0) { $0 + $1.countedIndices(difficulty).count }
    }

    /// The ground truth of the images whose keys are in `imageKeys`, in the original order.
    ///
    /// Use it to evaluate on the images present in a folder (see ``imageKeys(inImageDirectory:)``).
    /// Keys with no annotation are ignored; compare `images.count` with the key count to see how
    /// many matched.
    /// - Parameter imageKeys: Keys "event/name".
    public func restricted(to imageKeys: Set<String>) -> WiderGroundTruth {
        let kept = images.filter { imageKeys.contains($0.key) }
        var index: [String: Int] = [:]
        for (position, image) in kept.enumerated() { index[image.key] = position }
        return WiderGroundTruth(validated: kept, index: index)
    }

    private init(validated images: [WiderImageAnnotation], index: [String: Int]) {
        self.images = images
        self.indexByKey = index
    }

    /// The keys "event/name" of the images under a WIDER image folder laid out as
    /// `<directory>/<event>/<name>.jpg` (also `.jpeg`, `.png`, any case).
    /// - Parameter directory: The folder, e.g. `WIDER_val/images`.
    /// - Throws: ``EvaluationDataError`` when the folder cannot be listed.
    public static func imageKeys(inImageDirectory directory: String) throws -> Set<String> {
        let manager = FileManager.default
        let events: [String]
        do {
            events = try manager.contentsOfDirectory(atPath: directory)
        } catch {
            throw EvaluationDataError(file: directory, reason: "cannot list the image folder: \(error.localizedDescription)")
        }
        var keys = Set<String>()
        for event in events where !event.hasPrefix(".") {
            let eventPath = (directory as NSString).appendingPathComponent(event)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: eventPath, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let files = (try? manager.contentsOfDirectory(atPath: eventPath)) ?? []
            for file in files where !file.hasPrefix(".") {
                let ext = (file as NSString).pathExtension.lowercased()
                guard ["jpg", "jpeg", "png"].contains(ext) else { continue }
                keys.insert("\(event)/\((file as NSString).deletingPathExtension)")
            }
        }
        return keys
    }
}

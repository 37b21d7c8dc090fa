/// The ground truth of one WIDER FACE image: its face boxes and, per difficulty, which faces count.
public struct WiderImageAnnotation: Sendable, Equatable {
    /// The event folder, e.g. "0--Parade".
    public let event: String
    /// The image name without extension, e.g. "0_Parade_marchingband_1_465".
    public let name: String
    /// All face boxes, in annotation order (faces are referred to by 1-based index into this list).
    public let faces: [FaceBox]
    /// The 1-based indices of the faces counted in the easy setting, in file order.
    public let easy: [Int]
    /// The 1-based indices of the faces counted in the medium setting, in file order.
    public let medium: [Int]
    /// The 1-based indices of the faces counted in the hard setting, in file order.
    public let hard: [Int]

    /// Creates an annotation.
    /// - Parameters:
    ///   - event: Event folder name.
    ///   - name: Image name without extension.
    ///   - faces: Face boxes.
    ///   - easy: 1-based indices of faces counted in the easy setting.
    ///   - medium: 1-based indices of faces counted in the medium setting.
    ///   - hard: 1-based indices of faces counted in the hard setting.
    public init(event: String, name: String, faces: [FaceBox], easy: [Int], medium: [Int], hard: [Int]) {
        self.event = event
        self.name = name
        self.faces = faces
        self.easy = easy
        self.medium = medium
        self.hard = hard
    }

    /// The image key "event/name", e.g. "0--Parade/0_Parade_marchingband_1_465".
    public var key: String { "\(event)/\(name)" }

    /// The 1-based indices of the faces that count in a setting (the `gt_list` entry).
    /// - Parameter difficulty: The setting.
    public func countedIndices(_ difficulty: WiderDifficulty) -> [Int] {
        switch difficulty {
        case .easy: return easy
        case .medium: return medium
        case .hard: return hard
        }
    }

    /// Per face (0-based), whether it counts in a setting; faces not listed are ignored.
    /// - Parameter difficulty: The setting.
    public func countedMask(_ difficulty: WiderDifficulty) -> [Bool] {
        var mask = [Bool](repeating: false, count: faces.count)
        for index in countedIndices(difficulty) where index >= 1 && index <= faces.count {
            mask[index - 1] = true
        }
        return mask
    }
}

/// The six BlazeFace keypoints, in model output order (indices 0...5).
///
/// "Right" and "left" are the subject's own sides: the right eye appears on the left of an
/// unmirrored photo. Raw values are the snake_case names used in JSON output.
public enum FaceKeypoint: String, CaseIterable, Sendable, Codable, CodingKeyRepresentable {
    /// Index 0.
    case rightEye = "right_eye"
    /// Index 1.
    case leftEye = "left_eye"
    /// Index 2.
    case noseTip = "nose_tip"
    /// Index 3.
    case mouthCenter = "mouth_center"
    /// Index 4.
    case rightEarTragion = "right_ear_tragion"
    /// Index 5.
    case leftEarTragion = "left_ear_tragion"

    /// Position in the model's keypoint output (and in ``Detection/keypoints``).
    public var index: Int {
        switch self {
        case .rightEye: 0
        case .leftEye: 1
        case .noseTip: 2
        case .mouthCenter: 3
        case .rightEarTragion: 4
        case .leftEarTragion: 5
        }
    }

    /// The keypoint at a model output index, or nil outside 0...5.
    public init?(index: Int) {
        guard Self.allCases.indices.contains(index) else { return nil }
        self = Self.allCases[index]
    }
}

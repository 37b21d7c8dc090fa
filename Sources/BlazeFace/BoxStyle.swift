/// Which face box a detector reports.
///
/// BlazeFace models put a square over the eyes, nose and mouth; WIDER FACE (and most face
/// datasets) annotate from the hairline to the chin. Keypoints are the same in both styles.
public enum BoxStyle: String, Sendable, Hashable, CaseIterable, Codable {
    /// The model's own box, as MediaPipe reports it.
    case model
    /// The model's box moved to WIDER FACE's convention by the family's
    /// ``ModelFamily/widerBox`` (for every family today ``BoxAdjustment/widerFace``: centre up
    /// 8 % of the height, width x 0.92, height x 1.13; README, *Box style*).
    case wider

    /// `box` (top-left corner and size, y down) in this style, from a box in the model's style,
    /// with `wider`'s offsets those of the family (``ModelFamily/widerBox``).
    public func apply(to box: Face.Box, widerBox: BoxAdjustment = .widerFace) -> Face.Box {
        switch self {
        case .model: box
        case .wider: widerBox.apply(to: box)
        }
    }
}

/// The three WIDER FACE evaluation settings. Each counts a subset of the faces of every image
/// (its `gt_list`); the other faces are ignored: a detection of them is neither a true nor a false
/// positive.
public enum WiderDifficulty: String, Sendable, CaseIterable, Hashable {
    /// Large, clear faces (`wider_easy_val.mat`, `keep_easy.txt`).
    case easy
    /// Easy plus medium faces (`wider_medium_val.mat`, `keep_medium.txt`).
    case medium
    /// All evaluated faces (`wider_hard_val.mat`, `keep_hard.txt`).
    case hard
}

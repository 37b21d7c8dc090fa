/// How a source image is fitted into the square model input.
public enum ResizeMode: String, Sendable, CaseIterable {
    /// Keep the aspect ratio: the image is centred in the square and the
    /// remaining borders are black (zeros), as MediaPipe does.
    case letterbox
    /// Scale each axis independently to fill the square (distorts the aspect ratio).
    case stretch
}

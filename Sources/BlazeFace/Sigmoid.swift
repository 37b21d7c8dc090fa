#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// MediaPipe's score: `1 / (1 + exp(-clamp(logit, -clip, clip)))`.
///
/// With `clip` = 100 the result stays finite; a NaN logit gives NaN (and so fails any
/// `score >= minScore` test).
func clippedSigmoid(_ logit: Float, clip: Float) -> Float {
    var value = logit
    if value < -clip { value = -clip }
    if value > clip { value = clip }
    return 1 / (1 + exp(-value))
}

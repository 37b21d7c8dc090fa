/// Formats a number with a fixed number of decimals, without Foundation's locale-dependent formatting.
func formatFixed(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let sign = value < 0 && scaled != 0 ? "-" : ""
    guard scaled < 9e15 else { return "\(value)" }
    let integer = Int64(scaled)
    let whole = integer / Int64(scale)
    let fraction = integer % Int64(scale)
    if digits == 0 { return "\(sign)\(whole)" }
    var fractionText = String(fraction)
    while fractionText.count < digits { fractionText = "0" + fractionText }
    return "\(sign)\(whole).\(fractionText)"
}

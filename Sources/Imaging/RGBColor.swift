/// An 8-bit sRGB colour used for drawing and fills.
public struct RGBColor: Sendable, Equatable, Hashable {
    /// Red component.
    public var red: UInt8
    /// Green component.
    public var green: UInt8
    /// Blue component.
    public var blue: UInt8

    /// Creates a colour from its components.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// (0, 0, 0)
    public static let black = RGBColor(red: 0, green: 0, blue: 0)
    /// (255, 255, 255)
    public static let white = RGBColor(red: 255, green: 255, blue: 255)
    /// (255, 0, 0)
    public static let red = RGBColor(red: 255, green: 0, blue: 0)
    /// (0, 255, 0)
    public static let green = RGBColor(red: 0, green: 255, blue: 0)
    /// (0, 0, 255)
    public static let blue = RGBColor(red: 0, green: 0, blue: 255)
    /// (255, 255, 0)
    public static let yellow = RGBColor(red: 255, green: 255, blue: 0)
}

import BlazeFace
import Imaging

/// How a face is hidden.
public enum MaskStyle: String, Sendable, Hashable, CaseIterable, Codable {
    /// A separable Gaussian blur whose sigma grows with the face (``MaskOptions/blurStrength``).
    case blur
    /// Square blocks of the average colour, about ``MaskOptions/mosaicBlocks`` across the mask.
    case mosaic
    /// One flat colour (``MaskOptions/color``).
    case solid
}

/// The outline of a mask inside its rectangle.
public enum MaskShape: String, Sendable, Hashable, CaseIterable, Codable {
    /// The ellipse inscribed in the rectangle.
    case ellipse
    /// The whole rectangle.
    case box
}

/// What ``FaceMasker`` does to each face.
public struct MaskOptions: Sendable, Hashable {
    /// Blur, mosaic or solid fill.
    public var style: MaskStyle
    /// Ellipse or box.
    public var shape: MaskShape
    /// Growth of the mask around the face's WIDER-style (hairline-to-chin) box: 1 is that box,
    /// 1.3 (the default) reaches over the hair, ears and chin of a frontal face.
    public var scale: Float
    /// Gaussian sigma as a fraction of the mask's longer side (0.12: a 100-pixel mask gets
    /// sigma 12, which leaves no recognisable eye, nose or mouth).
    public var blurStrength: Float
    /// Mosaic cells across the mask's longer side.
    public var mosaicBlocks: Int
    /// Fill colour of ``MaskStyle/solid``.
    public var color: RGBColor

    /// Creates options.
    public init(style: MaskStyle = .blur, shape: MaskShape = .ellipse, scale: Float = 1.3,
                blurStrength: Float = 0.12, mosaicBlocks: Int = 8, color: RGBColor = .black) {
        self.style = style
        self.shape = shape
        self.scale = scale
        self.blurStrength = blurStrength
        self.mosaicBlocks = mosaicBlocks
        self.color = color
    }
}

/// The area one face's mask covers, in image pixels.
public struct MaskRegion: Sendable, Hashable {
    /// The rectangle (top-left corner and size) the mask fills or inscribes.
    public var box: Face.Box
    /// Ellipse or box.
    public var shape: MaskShape

    /// Creates a region.
    public init(box: Face.Box, shape: MaskShape) {
        self.box = box
        self.shape = shape
    }

    /// True when the centre of pixel (`x`, `y`) is inside the mask.
    public func contains(x: Int, y: Int) -> Bool {
        let px = Float(x) + 0.5, py = Float(y) + 0.5
        switch shape {
        case .box:
            return px >= box.x && px < box.x + box.width && py >= box.y && py < box.y + box.height
        case .ellipse:
            let rx = box.width / 2, ry = box.height / 2
            guard rx > 0, ry > 0 else { return false }
            let dx = (px - box.x - rx) / rx, dy = (py - box.y - ry) / ry
            return dx * dx + dy * dy <= 1
        }
    }

    /// The pixel rows and columns the mask can touch, clipped to a `width` x `height` image
    /// (nil when it lies outside or a coordinate is not finite).
    public func pixelBounds(width: Int, height: Int) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        guard box.x.isFinite, box.y.isFinite, box.width.isFinite, box.height.isFinite,
              box.width > 0, box.height > 0 else { return nil }
        let x0 = max(0, Int(max(-1, min(Float(width), box.x.rounded(.down)))))
        let y0 = max(0, Int(max(-1, min(Float(height), box.y.rounded(.down)))))
        let x1 = min(width, Int(max(0, min(Float(width) + 1, (box.x + box.width).rounded(.up)))))
        let y1 = min(height, Int(max(0, min(Float(height) + 1, (box.y + box.height).rounded(.up)))))
        guard x0 < x1, y0 < y1 else { return nil }
        return (x0, y0, x1, y1)
    }
}

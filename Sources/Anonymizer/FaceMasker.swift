import BlazeFace
import Foundation
import Imaging

/// Hides faces in images: a Gaussian blur, a mosaic or a solid fill over an ellipse or a box
/// around each face. Pixels outside every mask are left exactly as they were.
///
/// ```swift
/// let detector = try FaceDetector(modelPath: "models/face_detection_front.tflite")
/// let image = try ImageDecoder.decode(path: "group.jpg")
/// let masked = FaceMasker().apply(to: image, faces: detector.detect(in: image))
/// ```
///
/// Faces are expected in the detector's box style (``FaceMasker/boxStyle``, the model's
/// eyes-to-mouth box by default): the mask starts from the WIDER-style hairline-to-chin box and
/// grows by ``MaskOptions/scale`` around its centre.
public struct FaceMasker: Sendable {
    /// What is done to each face.
    public var options: MaskOptions
    /// The box style of the faces passed in (as set in the detector's options).
    public var boxStyle: BoxStyle

    /// Creates a masker.
    public init(options: MaskOptions = MaskOptions(), boxStyle: BoxStyle = .model) {
        self.options = options
        self.boxStyle = boxStyle
    }

    /// The mask of a face box (in ``boxStyle``): its WIDER-style box scaled by ``MaskOptions/scale``.
    public func region(for box: Face.Box) -> MaskRegion {
        let wider = boxStyle == .wider ? box : BoxStyle.wider.apply(to: box)
        let s = max(0, options.scale)
        let cx = wider.x + wider.width / 2, cy = wider.y + wider.height / 2
        let w = wider.width * s, h = wider.height * s
        return MaskRegion(box: Face.Box(x: cx - w / 2, y: cy - h / 2, width: w, height: h), shape: options.shape)
    }

    /// The masks of `faces`.
    public func regions(for faces: [Face]) -> [MaskRegion] { faces.map { region(for: $0.box) } }

    /// `image` with every face masked.
    public func apply(to image: RGBImage, faces: [Face]) -> RGBImage {
        apply(to: image, regions: regions(for: faces))
    }

    /// `image` with every region masked (in order; overlapping regions are masked twice).
    public func apply(to image: RGBImage, regions: [MaskRegion]) -> RGBImage {
        guard !regions.isEmpty else { return image }
        var pixels = image.pixels
        for r in regions { mask(&pixels, width: image.width, height: image.height, region: r) }
        return (try? RGBImage(width: image.width, height: image.height, pixels: pixels)) ?? image
    }

    /// Masks one region of interleaved RGB bytes in place.
    public func mask(_ pixels: inout [UInt8], width: Int, height: Int, region: MaskRegion) {
        guard width > 0, height > 0, pixels.count == width * height * 3,
              let b = region.pixelBounds(width: width, height: height) else { return }
        switch options.style {
        case .solid:
            let c = options.color
            for y in b.y0..<b.y1 {
                for x in b.x0..<b.x1 where region.contains(x: x, y: y) {
                    let i = (y * width + x) * 3
                    pixels[i] = c.red
                    pixels[i + 1] = c.green
                    pixels[i + 2] = c.blue
                }
            }
        case .mosaic:
            mosaic(&pixels, width: width, height: height, region: region, bounds: b)
        case .blur:
            blur(&pixels, width: width, height: height, region: region, bounds: b)
        }
    }

    /// The Gaussian sigma, in pixels, for a region.
    public func blurSigma(for region: MaskRegion) -> Float {
        max(1.5, options.blurStrength * max(region.box.width, region.box.height))
    }

    private func mosaic(_ pixels: inout [UInt8], width: Int, height: Int, region: MaskRegion,
                        bounds b: (x0: Int, y0: Int, x1: Int, y1: Int)) {
        let side = max(region.box.width, region.box.height)
        let cell = max(2, Int((side / Float(max(1, options.mosaicBlocks))).rounded()))
        var cy = b.y0
        while cy < b.y1 {
            let cy1 = min(b.y1, cy + cell)
            var cx = b.x0
            while cx < b.x1 {
                let cx1 = min(b.x1, cx + cell)
                var sum = (0, 0, 0)
                for y in cy..<cy1 {
                    for x in cx..<cx1 {
                        let i = (y * width + x) * 3
                        sum.0 += Int(pixels[i]); sum.1 += Int(pixels[i + 1]); sum.2 += Int(pixels[i + 2])
                    }
                }
                let n = (cy1 - cy) * (cx1 - cx)
                let avg = (UInt8((sum.0 + n / 2) / n), UInt8((sum.1 + n / 2) / n), UInt8((sum.2 + n / 2) / n))
                for y in cy..<cy1 {
                    for x in cx..<cx1 where region.contains(x: x, y: y) {
                        let i = (y * width + x) * 3
                        pixels[i] = avg.0; pixels[i + 1] = avg.1; pixels[i + 2] = avg.2
                    }
                }
                cx = cx1
            }
            cy = cy1
        }
    }

    /// A separable Gaussian over the region and a 3-sigma border around it (clamped at the image
    /// edges), written back inside the mask only. Large sigmas are computed on an area-averaged
    /// grid of step `sigma / 6` and sampled back bilinearly, so the cost per pixel stays bounded
    /// (at step 1 this is the exact Gaussian).
    private func blur(_ pixels: inout [UInt8], width: Int, height: Int, region: MaskRegion,
                      bounds b: (x0: Int, y0: Int, x1: Int, y1: Int)) {
        let sigma = blurSigma(for: region)
        let step = max(1, Int(sigma / 6))
        let pad = Int((3 * sigma).rounded(.up))
        let px0 = max(0, b.x0 - pad), py0 = max(0, b.y0 - pad)
        let px1 = min(width, b.x1 + pad), py1 = min(height, b.y1 + pad)
        let gw = (px1 - px0 + step - 1) / step, gh = (py1 - py0 + step - 1) / step
        guard gw > 0, gh > 0 else { return }
        // Area-averaged grid.
        var grid = [Float](repeating: 0, count: gw * gh * 3)
        for gy in 0..<gh {
            let y0 = py0 + gy * step, y1 = min(py1, y0 + step)
            for gx in 0..<gw {
                let x0 = px0 + gx * step, x1 = min(px1, x0 + step)
                var s: (Float, Float, Float) = (0, 0, 0)
                for y in y0..<y1 {
                    var i = (y * width + x0) * 3
                    for _ in x0..<x1 {
                        s.0 += Float(pixels[i]); s.1 += Float(pixels[i + 1]); s.2 += Float(pixels[i + 2])
                        i += 3
                    }
                }
                let n = Float((y1 - y0) * (x1 - x0))
                let g = (gy * gw + gx) * 3
                grid[g] = s.0 / n; grid[g + 1] = s.1 / n; grid[g + 2] = s.2 / n
            }
        }
        // Gaussian kernel on the grid.
        let gs = sigma / Float(step)
        let radius = max(1, Int((3 * gs).rounded(.up)))
        var kernel = (-radius...radius).map { k -> Float in
            let t = Float(k) / gs
            return (-0.5 * t * t).exp
        }
        let total = kernel.reduce(0, +)
        for k in kernel.indices { kernel[k] /= total }
        var tmp = [Float](repeating: 0, count: grid.count)
        // Horizontal pass (clamped at the grid's edges).
        for gy in 0..<gh {
            for gx in 0..<gw {
                var s: (Float, Float, Float) = (0, 0, 0)
                for k in -radius...radius {
                    let sx = min(gw - 1, max(0, gx + k))
                    let w = kernel[k + radius], g = (gy * gw + sx) * 3
                    s.0 += w * grid[g]; s.1 += w * grid[g + 1]; s.2 += w * grid[g + 2]
                }
                let o = (gy * gw + gx) * 3
                tmp[o] = s.0; tmp[o + 1] = s.1; tmp[o + 2] = s.2
            }
        }
        // Vertical pass.
        for gy in 0..<gh {
            for gx in 0..<gw {
                var s: (Float, Float, Float) = (0, 0, 0)
                for k in -radius...radius {
                    let sy = min(gh - 1, max(0, gy + k))
                    let w = kernel[k + radius], g = (sy * gw + gx) * 3
                    s.0 += w * tmp[g]; s.1 += w * tmp[g + 1]; s.2 += w * tmp[g + 2]
                }
                let o = (gy * gw + gx) * 3
                grid[o] = s.0; grid[o + 1] = s.1; grid[o + 2] = s.2
            }
        }
        // Write back inside the mask, sampling the grid bilinearly.
        let inv = 1 / Float(step)
        for y in b.y0..<b.y1 {
            let fy = min(Float(gh - 1), max(0, (Float(y - py0) + 0.5) * inv - 0.5))
            let gy0 = Int(fy), gy1 = min(gh - 1, gy0 + 1), wy = fy - Float(gy0)
            for x in b.x0..<b.x1 where region.contains(x: x, y: y) {
                let fx = min(Float(gw - 1), max(0, (Float(x - px0) + 0.5) * inv - 0.5))
                let gx0 = Int(fx), gx1 = min(gw - 1, gx0 + 1), wx = fx - Float(gx0)
                let i = (y * width + x) * 3
                for c in 0..<3 {
                    let a = grid[(gy0 * gw + gx0) * 3 + c] * (1 - wx) + grid[(gy0 * gw + gx1) * 3 + c] * wx
                    let d = grid[(gy1 * gw + gx0) * 3 + c] * (1 - wx) + grid[(gy1 * gw + gx1) * 3 + c] * wx
                    let v = a * (1 - wy) + d * wy
                    pixels[i + c] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
    }
}

private extension Float {
    var exp: Float { Float(Foundation.exp(Double(self))) }
}

import Imaging

/// What ``FaceDetector/detect(_:options:)`` looks at.
public enum DetectionSource: Sendable {
    /// An image file (JPEG, PNG, PPM/PGM), decoded at the scale the detection needs
    /// (``FaceDetector/decodeImage(at:for:)``).
    case file(String)
    /// An image already decoded, possibly at a reduced scale (faces come back in its
    /// full-resolution pixels).
    case decoded(DecodedImage)
    /// An RGB image (faces come back in its pixels).
    case image(RGBImage)
}

/// How one image is searched: one pass or tiles.
public struct DetectionOptions: Sendable, Hashable {
    /// Tiling; ``TilingMode/off`` (the default) is one pass over the whole image.
    public var tiling: TilingOptions
    /// Threads for the tiles of one image (one pass uses one).
    public var threads: Int

    /// Creates options.
    public init(tiling: TilingOptions = TilingOptions(), threads: Int = 1) {
        self.tiling = tiling
        self.threads = threads
    }
}

/// The faces found in one image, with the image's size and the cost.
public struct DetectionResult: Sendable, Equatable {
    /// The faces, in the image's full-resolution pixels.
    public var faces: [Face]
    /// The image's full-resolution width.
    public var width: Int
    /// The image's full-resolution height.
    public var height: Int
    /// Model invocations made for the image (1 for one pass).
    public var modelCalls: Int
    /// Faces the model reported with absurd coordinates (not finite, or a box far larger than
    /// the image or far outside it: only a broken or hostile model gives these), dropped.
    public var discardedFaces: Int = 0

    /// Creates a result.
    public init(faces: [Face], width: Int, height: Int, modelCalls: Int) {
        self.faces = faces
        self.width = width
        self.height = height
        self.modelCalls = modelCalls
    }
}

extension FaceDetector {
    /// Finds the faces in an image: the one detection entry point, for one pass and for tiles.
    ///
    /// A file is decoded at the scale the search needs (``decodeImage(at:for:)``); with
    /// ``TilingMode/auto`` the minimum face is scaled to the decoded pixels. One pass fits the
    /// whole image into the model input; tiles run level by level on up to
    /// ``DetectionOptions/threads`` threads.
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func detect(_ source: DetectionSource, options: DetectionOptions = DetectionOptions()) throws -> DetectionResult {
        let decoded: DecodedImage
        switch source {
        case .file(let path): decoded = try decodeImage(at: path, for: options)
        case .decoded(let d): decoded = d
        case .image(let image): decoded = DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height)
        }
        return detect(decoded, options: options)
    }

    /// Decodes an image file as ``detect(_:options:)`` does. One pass: a large JPEG at the
    /// smallest DCT scale that keeps the sides mapped onto the model input (the long side for
    /// letterbox, both for stretch) at least ``inputSize`` pixels (libjpeg-turbo's scaled
    /// decoding averages whole 8x8 blocks, so the reduced image is already area-averaged: a
    /// 1024-pixel WIDER photo is decoded at 1/8 scale with the same accuracy as at 1/2). Tiles:
    /// the smallest scale that keeps the plan's finest tile at least ``inputSize`` pixels wide.
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func decodeImage(at path: String, for options: DetectionOptions = DetectionOptions()) throws -> DecodedImage {
        let (longSideOnly, minimumSize) = decodeScale(for: options)
        return try ImageDecoder.decodeScaled(path: path, longSideOnly: longSideOnly, minimumSize: minimumSize)
    }

    /// Decodes an encoded image held in memory (an upload, say) exactly as
    /// ``decodeImage(at:for:)`` decodes a file with the same bytes, so that
    /// `detect(.decoded(try decodeImage(data:name:for:)), options:)` finds the same faces.
    ///
    /// - Parameter name: What errors call the image.
    /// - Throws: `ImageError` naming `name` when the bytes cannot be decoded.
    public func decodeImage(data: [UInt8], name: String = ImageError.memoryPath,
                            for options: DetectionOptions = DetectionOptions()) throws -> DecodedImage {
        let (longSideOnly, minimumSize) = decodeScale(for: options)
        return try ImageDecoder.decodeScaled(data: data, name: name, longSideOnly: longSideOnly, minimumSize: minimumSize)
    }

    /// The decode scale of ``decodeImage(at:for:)``: which sides count, and the minimum size
    /// chosen from the image's stored width and height.
    private func decodeScale(for options: DetectionOptions) -> (longSideOnly: Bool, minimumSize: @Sendable (Int, Int) -> Int?) {
        let tiling = options.tiling
        let size = inputSize
        guard tiling.mode != .off else {
            // decodeScaled keeps each considered side >= 2 * minimumSize.
            return (self.options.resize == .letterbox, { _, _ in max(1, size / 2) })
        }
        return (true, { w, h in
            let tiles = TilePlanner.plan(width: w, height: h, inputSize: size, options: tiling)
            guard let finest = tiles.map(\.size).min(), finest > 0 else { return nil }
            // The long side at which the finest tile spans `size` pixels; decodeScaled keeps the
            // long side >= 2 * minimumSize.
            let long = (Double(max(w, h)) * Double(size) / Double(finest)).rounded(.up)
            return Int(((long + 1) / 2).rounded(.down))
        })
    }

    /// One pass or tiles over a decoded image; faces in its full-resolution pixels.
    func detect(_ decoded: DecodedImage, options: DetectionOptions) -> DetectionResult {
        let image = decoded.image
        let scaleX = decoded.scaleX, scaleY = decoded.scaleY
        let faces: [Face], calls: Int
        if options.tiling.mode == .off {
            let (detections, transform) = detectNormalized(in: image)
            faces = detections.map { d in
                face(from: d) { x, y in
                    let p = transform.toSource(x: x, y: y)
                    return (p.x * scaleX, p.y * scaleY)
                }
            }
            calls = 1
        } else {
            var tiling = options.tiling
            tiling.minFace *= 1 / max(scaleX, scaleY, 1e-6)
            let (detections, made) = runTiles(image, tiling: tiling, threads: options.threads)
            let long = Float(max(image.width, image.height))
            faces = detections.map { d in face(from: d) { x, y in (x * long * scaleX, y * long * scaleY) } }
            calls = made
        }
        let kept = faces.compactMap { FaceSanity.checked($0, width: decoded.fullWidth, height: decoded.fullHeight, clip: self.options.clipBoxes) }
        var result = DetectionResult(faces: kept, width: decoded.fullWidth, height: decoded.fullHeight, modelCalls: calls)
        result.discardedFaces = faces.count - kept.count
        return result
    }

    // MARK: - Convenience

    /// Detects faces in an image file (JPEG, PNG, PPM/PGM) in one pass. Large JPEGs are decoded
    /// at a reduced scale; coordinates are still in the file's full-resolution pixels.
    ///
    /// - Throws: `ImageError` naming the file when it cannot be decoded.
    public func detect(imageAt path: String) throws -> [Face] {
        try detect(.file(path)).faces
    }

    /// Detects faces in one pass in a decoded image; coordinates are in its full-resolution pixels.
    public func detect(in decoded: DecodedImage) -> [Face] {
        detect(decoded, options: DetectionOptions()).faces
    }

    /// Detects faces in one pass in an RGB image; coordinates are in its pixels.
    public func detect(in image: RGBImage) -> [Face] {
        detect(DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height), options: DetectionOptions()).faces
    }

    /// Detects faces in an image already in memory, one pass or tiles as `options` say (the
    /// non-throwing form of `detect(.image(image), options:)`, for video frames and streams).
    public func detect(in image: RGBImage, options: DetectionOptions) -> DetectionResult {
        detect(DecodedImage(image: image, fullWidth: image.width, fullHeight: image.height), options: options)
    }

    /// Detects faces in one pass in interleaved 8-bit RGB pixels (`width * height * 3` bytes,
    /// rows top to bottom).
    ///
    /// - Throws: ``DetectorError`` when the buffer size does not match.
    public func detect(rgb pixels: [UInt8], width: Int, height: Int) throws -> [Face] {
        guard width > 0, height > 0, pixels.count == width * height * 3 else {
            throw DetectorError("RGB buffer of \(pixels.count) bytes does not match \(width)x\(height)x3")
        }
        return detect(in: try RGBImage(width: width, height: height, pixels: pixels))
    }

    // MARK: - Inspection

    /// Raw detections in the model's normalised input frame (before mapping to pixels), with the
    /// transform that maps them back. For evaluation and debugging.
    public func detectNormalized(in image: RGBImage) -> (detections: [Detection], transform: InputTransform) {
        let (candidates, transform) = candidates(in: image)
        let kept = nonMaxSuppression(candidates, method: options.nms, iouThreshold: options.iouThreshold,
                                     maxDetections: options.maxFaces)
        return (kept, transform)
    }

    /// Every decoded detection scoring at least ``DetectorOptions/minScore``, before non-max
    /// suppression, in the model's normalised input frame.
    public func candidates(in image: RGBImage) -> (detections: [Detection], transform: InputTransform) {
        let (pixels, transform) = input.prepare(image)
        return (candidates(pixels: pixels), transform)
    }
}

import Anonymizer
import BlazeFace
import FaceFormats
import Imaging

/// What the endpoints compute, apart from HTTP: detection and anonymization of an uploaded image.
/// Runs on a worker thread.
struct FaceRequests: Sendable {
    let models: ServedModels
    let metrics: ServiceMetrics

    /// The faces in `body`, as the JSON record `detect --format jsonl` writes for a file with the
    /// same bytes (`path` is the `name` parameter).
    func detect(_ body: [UInt8], options: RequestOptions) throws -> (json: String, faces: Int) {
        let entry = try models.entry(options.model)
        let detector = try detector(entry, options)
        let detection = DetectionOptions(tiling: options.tiling, threads: 1)
        let decoded: DecodedImage
        do {
            decoded = try detector.decodeImage(data: body, name: options.name, for: detection)
        } catch let e as ImageError {
            throw ServiceError.image(e)
        }
        let result = try detector.detect(.decoded(decoded), options: detection)
        metrics.modelCalls(result.modelCalls, model: entry.name)
        metrics.faces.increment(by: Int64(result.faces.count))
        let record = ImageFaces(path: options.name, width: result.width, height: result.height, faces: result.faces,
                                modelCalls: options.tiling.mode == .off ? nil : result.modelCalls)
        return (JSONFaceWriter.encode(record), result.faces.count)
    }

    /// `body` with its faces masked, encoded in the requested format or the upload's own (PNG
    /// for a PPM/PGM upload), as `anonymize` does for a photo: the full image is decoded.
    func anonymize(_ body: [UInt8], options: RequestOptions) throws -> (image: [UInt8], format: ImageFormat, faces: Int) {
        let entry = try models.entry(options.model)
        let detector = try detector(entry, options)
        let image: RGBImage
        do {
            image = try ImageDecoder.decode(data: body, name: options.name)
        } catch let e as ImageError {
            throw ServiceError.image(e)
        }
        let result = detector.detect(in: image, options: DetectionOptions(tiling: options.tiling, threads: 1))
        metrics.modelCalls(result.modelCalls, model: entry.name)
        metrics.faces.increment(by: Int64(result.faces.count))
        let masked = FaceMasker(options: options.mask, boxStyle: options.detector.boxStyle).apply(to: image, faces: result.faces)
        let source = ImageFormat.detect(body) ?? .png
        let format = options.format ?? (source == .pnm ? .png : source)
        do {
            return (try ImageEncoder().encode(masked, format: format), format, result.faces.count)
        } catch {
            throw ServiceError(.internalServerError, "encoding_failed", "could not encode the result as \(format.rawValue): \(error)")
        }
    }

    /// The entry's detector with the request's options (same prepared model, same interpreters).
    private func detector(_ entry: ServedModels.Entry, _ options: RequestOptions) throws -> FaceDetector {
        do {
            return try entry.detector.with(options: options.detector)
        } catch {
            throw ServiceError(.badRequest, "invalid_parameter", "\(error)")
        }
    }
}

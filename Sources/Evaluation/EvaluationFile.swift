import TFLite

/// Reads the outside files of an evaluation (MAT-files, WIDER ground-truth and keep lists,
/// prediction files) through the checked reader models, `.npy` arrays and images use: a FIFO, a
/// device or a directory is refused at once instead of blocking, and files are size-limited.
enum EvaluationFile {
    /// The largest file read: 1 GiB, as for models and images (WIDER's files are a few MiB).
    static let maximumSize = ByteStorage.defaultMaximumFileSize

    /// The bytes of a regular file, or the reader's problem ("is a FIFO (named pipe), not a
    /// regular file", "no such file", a size over the limit...) as `reason`.
    static func read(_ path: String, kind: String) -> Result<ByteStorage, ModelError> {
        do {
            return .success(try ByteStorage(contentsOfFile: path, maximumSize: maximumSize, kind: kind))
        } catch let error as ModelError {
            return .failure(error)
        } catch {
            return .failure(ModelError(file: path, "\(error)"))
        }
    }

    /// The whole file as UTF-8 text (invalid bytes replaced).
    /// - Throws: ``EvaluationDataError`` naming the file and the problem.
    static func text(_ path: String, kind: String) throws -> String {
        switch read(path, kind: kind) {
        case .success(let storage): return String(decoding: storage.bytes, as: UTF8.self)
        case .failure(let error): throw EvaluationDataError(file: path, reason: error.message)
        }
    }
}

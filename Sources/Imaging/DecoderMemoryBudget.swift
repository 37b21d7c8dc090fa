import Foundation

/// One pool of memory shared by every image decode in the process, so that decoding on many
/// threads at once cannot multiply the worst case.
///
/// Before a decoder allocates, it reserves what the image will need at most (the output pixels,
/// plus what the codec keeps: every DCT coefficient of a progressive or multi-scan JPEG, the
/// ARGB plane of a lossless WebP...), computed from the header alone. A reservation larger than
/// the whole budget fails at once with `ImageError.Kind.tooLarge`; one that does not fit beside
/// the reservations of other threads waits until they are released. Reservations are released
/// when the decode returns, so the budget bounds decoder working memory, not the decoded images
/// a caller keeps.
public final class DecoderMemoryBudget: @unchecked Sendable {
    /// The default capacity: 200 MB (200,000,000 bytes).
    public static let defaultCapacity = 200_000_000

    /// The process-wide budget every `ImageDecoder` call uses.
    public static let shared = DecoderMemoryBudget(capacity: defaultCapacity)

    private let condition = NSCondition()
    private var storedCapacity: Int
    private var used = 0
    private var peak = 0

    /// Creates a budget of `capacity` bytes (at least 1).
    public init(capacity: Int) {
        storedCapacity = max(1, capacity)
    }

    /// Bytes that may be reserved at once. Setting it wakes waiting decodes; a reservation
    /// already made is kept.
    public var capacity: Int {
        get { condition.withLock { storedCapacity } }
        set {
            condition.withLock {
                storedCapacity = max(1, newValue)
                condition.broadcast()
            }
        }
    }

    /// Bytes reserved right now.
    public var bytesInUse: Int { condition.withLock { used } }

    /// The most bytes ever reserved at once.
    public var peakBytesInUse: Int { condition.withLock { peak } }

    /// Runs `body` holding a reservation of `bytes`, waiting for other reservations to be
    /// released if needed.
    ///
    /// - Parameters:
    ///   - bytes: The most `body` will allocate.
    ///   - name: The file the reservation is for, named by the error.
    ///   - what: What needs the memory, for the error ("a 10000x10000 progressive JPEG").
    /// - Throws: `ImageError` (`.tooLarge`) when `bytes` exceeds the capacity; whatever `body` throws.
    public func withReservation<T>(_ bytes: Int, name: String, what: String, _ body: () throws -> T) throws -> T {
        let amount = max(0, bytes)
        condition.lock()
        while true {
            guard amount <= storedCapacity else {
                let capacity = storedCapacity
                condition.unlock()
                throw ImageError(path: name, kind: .tooLarge,
                                 reason: "decoding \(what) needs \(Self.megabytes(amount)) MB, more than the "
                                     + "\(Self.megabytes(capacity)) MB decoder memory budget")
            }
            if used + amount <= storedCapacity { break }
            condition.wait()
        }
        used += amount
        peak = max(peak, used)
        condition.unlock()
        defer {
            condition.withLock {
                used -= amount
                condition.broadcast()
            }
        }
        return try body()
    }

    /// `bytes` in decimal megabytes, rounded up.
    static func megabytes(_ bytes: Int) -> Int { (bytes + 999_999) / 1_000_000 }
}

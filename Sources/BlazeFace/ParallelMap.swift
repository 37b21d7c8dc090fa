import Dispatch
import Foundation

/// Runs `body` for every index in `0..<count` on up to `threads` threads (each thread takes the
/// next unclaimed index) and returns the results in index order. One thread runs them in order
/// on the calling thread.
///
/// - Parameters:
///   - count: How many items.
///   - threads: The most threads to use (at most one per core is used by Dispatch).
///   - body: Computes item `i`; called once per index, possibly concurrently.
/// - Returns: `body(0)`, `body(1)`, ... in order.
public func parallelMap<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    if threads <= 1 || count == 1 { return (0..<count).map(body) }
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: min(threads, count)) { _ in
        while let i = slots.claim() { slots.set(i, body(i)) }
    }
    return slots.values
}

/// Result slots and a claim counter shared by the workers of ``parallelMap(count:threads:_:)``;
/// every access holds the lock, each slot is written once.
private final class Slots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]
    private var next = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func set(_ i: Int, _ value: T) { lock.lock(); slots[i] = value; lock.unlock() }

    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
}

/// One buffer to place: its size and the inclusive range of op steps during which it is alive.
public struct PlannedBuffer: Sendable, Hashable {
    public var tensor: Int
    public var size: Int
    public var firstUse: Int
    public var lastUse: Int
}

/// The result of planning: an offset per buffer and the arena size.
public struct MemoryPlan: Sendable {
    /// Arena offset of each planned tensor, by tensor index.
    public var offsets: [Int: Int]
    /// Bytes the arena needs.
    public var arenaSize: Int
    /// The largest sum of sizes of buffers alive at the same step: no plan can be smaller.
    public var lowerBound: Int
    /// The step (op index) at which ``lowerBound`` is reached.
    public var peakStep: Int
}

/// Places tensors in one arena by lifetime, like TFLite Micro's greedy planner: buffers are taken
/// largest first (ties: earlier first use, then tensor index), and each goes at the lowest
/// aligned offset where it overlaps no already placed buffer whose lifetime intersects its own.
public enum MemoryPlanner {
    /// Plans `buffers` with offsets aligned to `alignment` bytes.
    public static func plan(_ buffers: [PlannedBuffer], alignment: Int = 64) -> MemoryPlan {
        func align(_ x: Int) -> Int { (x + alignment - 1) / alignment * alignment }
        let order = buffers.sorted {
            ($0.size, -$0.firstUse, -$0.tensor) > ($1.size, -$1.firstUse, -$1.tensor)
        }
        var placed: [(buffer: PlannedBuffer, offset: Int)] = []
        var offsets: [Int: Int] = [:]
        var arena = 0
        for b in order {
            let conflicts = placed
                .filter { $0.buffer.firstUse <= b.lastUse && b.firstUse <= $0.buffer.lastUse }
                .sorted { $0.offset < $1.offset }
            var candidate = 0
            for c in conflicts {
                if candidate + b.size <= c.offset { break }
                candidate = max(candidate, align(c.offset + c.buffer.size))
            }
            placed.append((b, candidate))
            offsets[b.tensor] = candidate
            arena = max(arena, candidate + b.size)
        }
        var lowerBound = 0, peakStep = 0
        let steps = Set(buffers.flatMap { [$0.firstUse, $0.lastUse] }).sorted()
        for s in steps {
            let live = buffers.filter { $0.firstUse <= s && s <= $0.lastUse }.reduce(0) { $0 + $1.size }
            if live > lowerBound {
                lowerBound = live
                peakStep = s
            }
        }
        return MemoryPlan(offsets: offsets, arenaSize: align(arena), lowerBound: lowerBound, peakStep: peakStep)
    }
}

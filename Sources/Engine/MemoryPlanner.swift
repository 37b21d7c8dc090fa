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

/// Places tensors in one arena by lifetime. Each buffer, taken in some order, goes at the lowest
/// aligned offset where it overlaps no already placed buffer whose lifetime intersects its own
/// (first fit). TFLite Micro's greedy planner uses one order, largest first; this planner tries
/// several orders (largest first, earliest first, longest-lived first, largest area in
/// size x time first) and keeps the smallest arena, stopping early when one reaches the lower bound.
public enum MemoryPlanner {
    /// Plans `buffers` with offsets aligned to `alignment` bytes.
    public static func plan(_ buffers: [PlannedBuffer], alignment: Int = 64) -> MemoryPlan {
        let (lowerBound, peakStep) = bound(buffers)
        let orders: [(PlannedBuffer, PlannedBuffer) -> Bool] = [
            { ($0.size, -$0.firstUse, -$0.tensor) > ($1.size, -$1.firstUse, -$1.tensor) },
            { ($0.firstUse, -$0.size, $0.tensor) < ($1.firstUse, -$1.size, $1.tensor) },
            { ($0.lastUse - $0.firstUse, $0.size, -$0.tensor) > ($1.lastUse - $1.firstUse, $1.size, -$1.tensor) },
            { ($0.size * ($0.lastUse - $0.firstUse + 1), -$0.tensor) > ($1.size * ($1.lastUse - $1.firstUse + 1), -$1.tensor) },
        ]
        var best: MemoryPlan?
        for order in orders {
            var plan = firstFit(buffers.sorted(by: order), alignment: alignment)
            plan.lowerBound = lowerBound
            plan.peakStep = peakStep
            if best == nil || plan.arenaSize < (best?.arenaSize ?? 0) { best = plan }
            if plan.arenaSize <= (lowerBound + alignment - 1) / alignment * alignment { return plan }
        }
        // Then a deterministic random search: largest first, with sizes perturbed by up to half.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func random() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state % 1_000_000) / 1_000_000
        }
        for _ in 0..<300 {
            let keyed = buffers.map { ($0, Double($0.size) * (0.5 + random())) }
            var plan = firstFit(keyed.sorted { $0.1 > $1.1 }.map(\.0), alignment: alignment)
            plan.lowerBound = lowerBound
            plan.peakStep = peakStep
            if plan.arenaSize < (best?.arenaSize ?? Int.max) { best = plan }
            if plan.arenaSize <= (lowerBound + alignment - 1) / alignment * alignment { break }
        }
        return best ?? MemoryPlan(offsets: [:], arenaSize: 0, lowerBound: 0, peakStep: 0)
    }

    /// The largest total size of buffers alive at one step, and that step.
    static func bound(_ buffers: [PlannedBuffer]) -> (Int, Int) {
        var lowerBound = 0, peakStep = 0
        let steps = Set(buffers.flatMap { [$0.firstUse, $0.lastUse] }).sorted()
        for s in steps {
            let live = buffers.filter { $0.firstUse <= s && s <= $0.lastUse }.reduce(0) { $0 + $1.size }
            if live > lowerBound {
                lowerBound = live
                peakStep = s
            }
        }
        return (lowerBound, peakStep)
    }

    /// First-fit placement in the given order.
    static func firstFit(_ order: [PlannedBuffer], alignment: Int) -> MemoryPlan {
        func align(_ x: Int) -> Int { (x + alignment - 1) / alignment * alignment }
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
        return MemoryPlan(offsets: offsets, arenaSize: align(arena), lowerBound: 0, peakStep: 0)
    }
}

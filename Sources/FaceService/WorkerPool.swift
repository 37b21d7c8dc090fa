import Dispatch
import Foundation

/// A fixed set of threads that run the CPU-bound work (decoding, detection, masking) off the
/// event loops and the cooperative pool, behind a bounded queue: a request that finds
/// ``capacity`` jobs already waiting is refused at once (503 with `Retry-After`), never queued
/// without bound. Every job has a deadline: one still waiting then is dropped without running,
/// and its caller is answered when the deadline passes even if the job is still running.
public final class WorkerPool: @unchecked Sendable {
    /// Jobs that may wait for a thread.
    public let capacity: Int
    /// Threads running jobs.
    public let threads: Int

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var running = 0
    private var stopped = false

    private struct Job {
        var deadline: DispatchTime
        var work: () -> Void
        var expire: () -> Void
    }

    /// Starts `threads` worker threads.
    public init(threads: Int, capacity: Int) {
        self.threads = threads
        self.capacity = capacity
        for i in 0..<threads {
            let t = Thread { [self] in loop() }
            t.name = "blazeface-worker-\(i)"
            t.stackSize = 4 << 20
            t.start()
        }
    }

    /// Jobs waiting, and jobs running.
    public var load: (queued: Int, running: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (jobs.count - head, running)
    }

    /// Runs `body` on a worker and returns its result.
    ///
    /// - Throws: ``ServiceError`` 503 `overloaded` (with `Retry-After`) when the queue is full or
    ///   the pool has stopped, 503 `deadline_exceeded` when `deadline` passes first, and what
    ///   `body` throws.
    public func run<T: Sendable>(deadline: DispatchTime, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
            once.set(c)
            let expired = ServiceError(.serviceUnavailable, "deadline_exceeded",
                                       "the request was not done within its deadline; try again later or with a smaller image",
                                       retryAfter: 1)
            let job = Job(deadline: deadline, work: { once.resume(with: Result { try body() }) },
                          expire: { once.resume(with: .failure(expired)) })
            guard enqueue(job) else {
                once.resume(with: .failure(ServiceError(.serviceUnavailable, "overloaded",
                                                        "all \(threads) workers are busy and \(capacity) requests are waiting; retry later",
                                                        retryAfter: 1)))
                return
            }
            DispatchQueue.global().asyncAfter(deadline: deadline) { once.resume(with: .failure(expired)) }
        }
    }

    /// Stops the threads once the queue is empty (the jobs already accepted still run).
    public func shutdown() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func enqueue(_ job: Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, jobs.count - head < capacity + max(0, threads - running) else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 64 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            if DispatchTime.now() >= job.deadline { job.expire() } else { job.work() }
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }
}

/// A continuation resumed once: by the job, or by its deadline, whichever comes first.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?

    func set(_ c: CheckedContinuation<T, Error>) {
        lock.lock()
        continuation = c
        lock.unlock()
    }

    func resume(with result: Result<T, Error>) {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(with: result)
    }
}

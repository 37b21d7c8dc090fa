import Testing
import TestSupport

/// In CI nothing may be skipped for want of data: this fails, naming what is missing, when
/// `CI=true` and `../shared` is incomplete. Outside CI it reports what the skipped tests lack.
@Suite struct SharedDataPresenceTests {
    @Test func sharedDataIsCompleteInCI() {
        let missing = SharedData.missing(SharedResource.allCases)
        if SharedData.isCI {
            #expect(missing.isEmpty, "CI=true but \(SharedData.root) lacks: \(missing.map(\.rawValue).joined(separator: "; "))")
        }
    }
}

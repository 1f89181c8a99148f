import Foundation
import OverstapCore
import OverstapService
import Synchronization

/// Which feed a request asks for.
public enum FeedKey: Hashable, Sendable {
    case partner(String)
    case region(String)
    /// A participant's own feed, by its (already verified) token.
    case personal(String)

    /// The `Cache-Control` of the feed: region feeds are public, the others carry a capability.
    var cacheControl: String {
        if case .region = self { return "public, max-age=300" }
        return "private, max-age=300"
    }

    /// The feed's kind in the request metrics.
    var kind: FeedKind {
        switch self {
        case .partner: .partner
        case .region: .region
        case .personal: .me
        }
    }
}

/// The kinds of feed, as the request metrics name them; the metrics never carry names or tokens.
public enum FeedKind: String, Sendable {
    case partner
    case region
    case me
}

/// Rendered feeds, kept until the data changes (`invalidate`, driven by the database's change
/// counter) or the feed window moves at midnight (UTC day of the render), so requests never render.
///
/// A lock rather than an actor: a request then never leaves its event loop thread, which is most
/// of the cost of a small answer such as a 304.
public final class FeedCache: Sendable {
    private struct Entry {
        var feed: RenderedFeed
        var generation: Int
        var day: Int
    }

    /// A partner's stored token hash as of one generation.
    private struct KnownToken {
        var digest: [UInt8]?
        var generation: Int
    }

    private struct State {
        var entries: [FeedKey: Entry] = [:]
        var tokenDigests: [String: KnownToken] = [:]
    }

    /// Which data and day a render belongs to: it stays current while both stay the same.
    struct Stamp: Equatable {
        let generation: Int
        let day: Int
    }

    private let service: OverstapService
    private let state = Mutex(State())
    /// Counts data changes; outside the lock, so that a stamp is read without it.
    private let generation = Atomic(0)

    /// Creates an empty cache over `service`.
    public init(service: OverstapService) {
        self.service = service
    }

    /// Marks every feed stale: they are rendered again when next asked for.
    public func invalidate() {
        generation.add(1, ordering: .sequentiallyConsistent)
    }

    /// A partner's feed when the token opens it, else nil.
    public func partnerFeed(slug: String, token: String) async throws -> RenderedFeed? {
        try await partnerTokenMatches(slug: slug, token: token) ? feed(.partner(slug)) : nil
    }

    /// A partner's feed when a current render is cached and the token opens it, else nil. Reads no
    /// database and renders nothing, so it may run on an event loop.
    public func cachedPartnerFeed(slug: String, token: String) -> RenderedFeed? {
        let stamp = currentStamp()
        let (known, feed) = state.withLock { state in
            (state.tokenDigests[slug].flatMap { $0.generation == stamp.generation ? $0 : nil }, current(.partner(slug), in: state, at: stamp))
        }
        guard let known, let feed, FeedToken.matches(token, digest: known.digest) else { return nil }
        return feed
    }

    /// The feed when a current render is cached, else nil; reads no database and renders nothing.
    public func cachedFeed(_ key: FeedKey) -> RenderedFeed? {
        let stamp = currentStamp()
        return state.withLock { current(key, in: $0, at: stamp) }
    }

    /// The data generation and the day now; a render made under an earlier stamp is stale.
    func currentStamp() -> Stamp {
        Stamp(generation: generation.load(ordering: .sequentiallyConsistent), day: Self.day(service.clock.now()))
    }

    /// The cached render of `key` when neither the data nor the day changed since.
    private func current(_ key: FeedKey, in state: State, at stamp: Stamp) -> RenderedFeed? {
        guard let entry = state.entries[key], entry.generation == stamp.generation, entry.day == stamp.day else { return nil }
        return entry.feed
    }

    /// Whether a token opens a partner's feed; the stored hash is read once per data change.
    private func partnerTokenMatches(slug: String, token: String) async throws -> Bool {
        let generation = self.generation.load(ordering: .sequentiallyConsistent)
        let known = state.withLock { $0.tokenDigests[slug] }
        if let known, known.generation == generation { return FeedToken.matches(token, digest: known.digest) }
        let hash = try await service.storedFeedTokenHash(slug: slug)
        let digest = FeedToken.digest(ofStoredHash: hash)
        // Only real partners are remembered, so requests for made-up slugs cannot grow the cache.
        if hash != nil { state.withLock { $0.tokenDigests[slug] = KnownToken(digest: digest, generation: generation) } }
        return FeedToken.matches(token, digest: digest)
    }

    /// The feed, rendered now only if its data or day changed; nil when there is no such feed.
    public func feed(_ key: FeedKey) async throws -> RenderedFeed? {
        let now = service.clock.now()
        let day = Self.day(now)
        let generation = self.generation.load(ordering: .sequentiallyConsistent)
        let cached = state.withLock { $0.entries[key] }
        if let cached, cached.generation == generation, cached.day == day { return cached.feed }
        let text: String
        do {
            switch key {
            case .partner(let slug): text = try await service.partnerFeed(slug: slug)
            case .region(let code): text = try await service.regionFeed(region: code)
            case .personal(let token):
                guard let feed = try await service.personalFeed(token: token) else { return nil }
                text = feed
            }
        } catch is NotFoundError {
            return nil
        } catch is InputError {
            return nil
        }
        let feed: RenderedFeed
        if let previous = cached?.feed, previous.isSameContent(as: text) {
            // The same bytes keep their validators, so clients' copies stay valid.
            feed = previous
        } else {
            feed = try RenderedFeed(text: text, lastModified: Self.wholeSeconds(now), cacheControl: key.cacheControl, replacing: cached?.feed)
        }
        state.withLock { $0.entries[key] = Entry(feed: feed, generation: generation, day: day) }
        return feed
    }

    /// The UTC day number: feeds are rendered again when it changes, since their window moves.
    private static func day(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970 / 86_400)
    }

    /// HTTP dates have whole seconds; Last-Modified must compare equal after a round trip.
    private static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

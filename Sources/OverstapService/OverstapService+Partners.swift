import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// Adds a partner; the slug is derived from the name when not given.
    @discardableResult
    public func addPartner(name: String, email: String, slug: String?, kind: PartnerKind, region: String?) async throws -> AddedPartner {
        var problems: [InputError] = []
        do { try SessionRules.singleLine(name, place: "--name", required: true) } catch { problems.append(error) }
        if let problem = EmailAddress.problem(with: email) { problems.append(InputError(place: "--email", problem: problem)) }
        let chosenSlug = slug ?? Self.slug(from: name)
        if !Self.isValidSlug(chosenSlug) {
            problems.append(InputError(
                place: "--slug", problem: "'\(chosenSlug)' is not a valid slug",
                fix: "use lower-case letters, digits and dashes, e.g. roc-midden-nederland"))
        }
        var region = region
        if let typed = region {
            do { region = try catalogues.regions.validate(typed, place: "--region") } catch { problems.append(error) }
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        let token = FeedToken.generate()
        let partner = Partner(slug: chosenSlug, name: name, email: email, kind: kind, region: region)
        let now = clock.now()
        try await store.write { tx in
            if try await tx.partner(slug: chosenSlug) != nil {
                throw InputError(
                    place: "--slug", problem: "a partner with slug '\(chosenSlug)' already exists",
                    fix: "choose another --slug, or see it with: overstap partner show \(chosenSlug)")
            }
            try await tx.insert(partner, now: now)
            try await tx.setFeedTokenHash(partner: chosenSlug, hash: FeedToken.hash(token))
        }
        return AddedPartner(partner: partner, feedToken: token)
    }

    /// A partner just added, with its feed token: shown this once, stored only as a hash.
    public struct AddedPartner: Sendable {
        public var partner: Partner
        public var feedToken: String
    }

    /// Replaces a partner's feed token (the old feed URL stops working) and returns the new one.
    public func rotateFeedToken(slug: String) async throws -> String {
        let token = FeedToken.generate()
        try await store.write { tx in
            guard try await tx.partner(slug: slug) != nil else {
                throw NotFoundError(kind: "partner", key: slug, fix: "list partners with: overstap partner list")
            }
            try await tx.setFeedTokenHash(partner: slug, hash: FeedToken.hash(token))
        }
        return token
    }

    /// The stored hash of a partner's feed token (nil for an unknown partner), for callers that cache it.
    public func storedFeedTokenHash(slug: String) async throws -> String? {
        try await store.read { try await $0.feedTokenHash(partner: slug) }
    }

    /// The partner feed's address in both forms calendar apps accept.
    public func partnerFeedURLs(slug: String, token: String) throws -> (https: String, webcal: String) {
        let url = "\(try settings.publicURL())/feeds/partners/\(slug).ics?token=\(token)"
        return (url, "webcal://" + url.drop { $0 != ":" }.dropFirst(3))
    }

    /// All partners, by slug.
    public func partners() async throws -> [Partner] { try await store.read { try await $0.partners() } }

    /// One partner with its sessions.
    public func partner(slug: String) async throws -> (partner: Partner, sessions: [StoredSession]) {
        try await store.read { tx in
            guard let partner = try await tx.partner(slug: slug) else {
                throw NotFoundError(kind: "partner", key: slug, fix: "list partners with: overstap partner list")
            }
            return (partner, try await tx.sessions(SessionFilter(partner: slug)))
        }
    }

    static func slug(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
        var slug = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }

    static func isValidSlug(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 60 && !slug.hasPrefix("-") && !slug.hasSuffix("-")
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

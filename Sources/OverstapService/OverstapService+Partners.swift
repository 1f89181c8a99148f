import Foundation
import OverstapCore
import OverstapStore

extension OverstapService {
    /// Adds a partner; the slug is derived from the name when not given.
    public func addPartner(name: String, email: String, slug: String?, kind: PartnerKind, region: String?) throws -> Partner {
        var problems: [InputError] = []
        do { try SessionRules.singleLine(name, place: "--name", required: true) } catch { problems.append(error) }
        if let problem = EmailAddress.problem(with: email) { problems.append(InputError(place: "--email", problem: problem)) }
        let chosenSlug = slug ?? Self.slug(from: name)
        if !Self.isValidSlug(chosenSlug) {
            problems.append(InputError(
                place: "--slug", problem: "'\(chosenSlug)' is not a valid slug",
                fix: "use lower-case letters, digits and dashes, e.g. roc-midden-nederland"))
        }
        if let region {
            do { try catalogues.regions.validate(region, place: "--region") } catch { problems.append(error) }
        }
        guard problems.isEmpty else { throw InputErrors(problems) }
        let partner = Partner(slug: chosenSlug, name: name, email: email, kind: kind, region: region)
        let now = clock.now()
        try store.write { tx in
            if try tx.partner(slug: chosenSlug) != nil {
                throw InputError(
                    place: "--slug", problem: "a partner with slug '\(chosenSlug)' already exists",
                    fix: "choose another --slug, or see it with: overstap partner show \(chosenSlug)")
            }
            try tx.insert(partner, now: now)
        }
        return partner
    }

    /// All partners, by slug.
    public func partners() throws -> [Partner] { try store.read { try $0.partners() } }

    /// One partner with its sessions.
    public func partner(slug: String) throws -> (partner: Partner, sessions: [StoredSession]) {
        try store.read { tx in
            guard let partner = try tx.partner(slug: slug) else {
                throw NotFoundError(kind: "partner", key: slug, fix: "list partners with: overstap partner list")
            }
            return (partner, try tx.sessions(SessionFilter(partner: slug)))
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

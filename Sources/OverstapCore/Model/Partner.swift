/// An education partner or other organisation that runs sessions with the mobility team.
public struct Partner: Equatable, Sendable, Codable {
    /// The short name used on the command line and in feed URLs (`roc-midden`).
    public var slug: String
    public var name: String
    /// The partner's planning mailbox.
    public var email: String
    public var kind: PartnerKind
    /// The labour-market region the partner belongs to, when it belongs to one.
    public var region: String?

    /// Creates a partner.
    public init(slug: String, name: String, email: String, kind: PartnerKind, region: String?) {
        self.slug = slug
        self.name = name
        self.email = email
        self.kind = kind
        self.region = region
    }
}

/// What kind of organisation a partner is.
public enum PartnerKind: String, CaseIterable, Codable, Sendable {
    case school, employer, uwv, municipality, other
}

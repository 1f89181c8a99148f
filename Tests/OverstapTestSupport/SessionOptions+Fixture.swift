import OverstapService

extension SessionOptions {
    /// A valid one-off online webinar of the "roc" partner, 20 seats; tests change what they need.
    public static func fixture() -> SessionOptions {
        var options = SessionOptions()
        options.title = "Van keuken naar zorg"
        options.partners = ["roc"]
        options.kind = "webinar"
        options.sector = "zorg"
        options.audience = ["horeca"]
        options.start = "2027-02-02 19:00"
        options.duration = "90m"
        options.capacity = 20
        options.online = "https://meet.example.org/abc"
        return options
    }
}

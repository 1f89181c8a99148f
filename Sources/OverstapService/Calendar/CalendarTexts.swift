import Foundation
import OverstapCore

/// The participant-facing words in calendar entries: Dutch (formal "u", plain language) first,
/// English for people whose locale is `en`.
struct CalendarTexts {
    let locale: String

    private var dutch: Bool { locale != "en" }

    func runBy(_ names: [String]) -> String { (dutch ? "Door: " : "Run by: ") + names.joined(separator: ", ") }

    func place(_ venue: Venue) -> String {
        switch venue {
        case .online(let url): return (dutch ? "Online, deelnemen via: " : "Online, join at: ") + url.absoluteString
        case .onSite(let address): return (dutch ? "Locatie: " : "Location: ") + address
        }
    }

    func meetings(_ count: Int) -> String? {
        guard count > 1 else { return nil }
        return dutch ? "Deze training bestaat uit \(count) bijeenkomsten." : "This course has \(count) meetings."
    }

    var howToAnswer: String {
        dutch
            ? "Laat ons weten of u komt: kies Accepteren of Weigeren in uw agenda. Vragen? Beantwoord deze uitnodiging."
            : "Please let us know if you will come: choose Accept or Decline in your calendar. Questions? Reply to this invitation."
    }

    var cancelled: String { dutch ? "Deze sessie gaat niet door." : "This session has been cancelled." }

    var placeWithdrawn: String {
        dutch ? "U doet niet (meer) mee aan deze sessie; de afspraak vervalt." : "You are no longer taking part in this session; the appointment is withdrawn."
    }

    func reason(_ text: String) -> String { (dutch ? "Reden: " : "Reason: ") + text }

    func seats(taken: Int, capacity: Int) -> String {
        let free = max(0, capacity - taken)
        return dutch ? "Plaatsen: \(taken) bezet, \(free) vrij (van \(capacity))" : "Seats: \(taken) taken, \(free) free (of \(capacity))"
    }

    var alarm: String { dutch ? "Uw sessie begint bijna." : "Your session starts soon." }

    var joinLabel: String { dutch ? "Deelnemen" : "Join" }
}

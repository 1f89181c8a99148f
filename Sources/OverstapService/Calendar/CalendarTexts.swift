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

    /// The one instruction to answer: in the calendar (its Accept/Decline mails an iTIP REPLY that
    /// `reply ingest` reads) or with the signed answer links; without links, in the calendar or by mail.
    func howToAnswer(link: String?) -> String {
        guard let link else {
            return dutch
                ? "Laat ons weten of u komt: in uw agenda (Accepteren of Weigeren) of door deze e-mail te beantwoorden; beide werken."
                : "Please let us know if you will come: in your calendar (Accept or Decline) or by replying to this e-mail; both work."
        }
        return dutch
            ? "Laat ons weten of u komt, in uw agenda (Accepteren of Weigeren) of met deze links; beide werken:\n"
                + "Ik kom: \(link)?answer=accept\nIk kan niet: \(link)?answer=decline"
            : "Please let us know if you will come, in your calendar (Accept or Decline) or with these links; both work:\n"
                + "I will come: \(link)?answer=accept\nI can't come: \(link)?answer=decline"
    }

    /// The answer deadline an invitation announces (`moment` as `MeetingText.moment` writes it).
    func answerBy(_ moment: String) -> String {
        dutch
            ? "Laat het ons uiterlijk \(moment) weten. Hebben wij dan geen antwoord, dan gaat uw plaats naar iemand anders."
            : "Please answer by \(moment). Without an answer by then, your seat goes to someone else."
    }

    /// An invitation that expired: no answer came before the deadline.
    func expired(contact: String) -> String {
        dutch
            ? "U heeft niet op tijd laten weten of u komt. Daarom is uw plaats naar iemand anders gegaan; de afspraak vervalt. "
                + "Wilt u toch komen? Neem dan contact met ons op: \(contact)."
            : "You did not let us know in time whether you will come, so your seat went to someone else; the appointment is withdrawn. "
                + "Would you still like to come? Please contact us: \(contact)."
    }

    /// A series: an answer covers every meeting.
    func answerCoversAll(_ count: Int) -> String? {
        guard count > 1 else { return nil }
        return dutch ? "Uw antwoord geldt voor alle \(count) bijeenkomsten." : "Your answer covers all \(count) meetings."
    }

    /// A cancelled session's title in feeds, so every calendar app shows it (some ignore STATUS).
    func cancelledTitle(_ title: String) -> String { (dutch ? "Gaat niet door: " : "Cancelled: ") + title }

    /// A full session's title in partner and region feeds: it is not open.
    func fullTitle(_ title: String) -> String { title + (dutch ? " (vol)" : " (full)") }

    var cancelled: String { dutch ? "Deze sessie gaat niet door." : "This session has been cancelled." }

    /// One meeting of a series is called off; the others still take place.
    var meetingCancelled: String {
        dutch ? "Deze bijeenkomst gaat niet door. De andere bijeenkomsten gaan gewoon door."
            : "This meeting has been cancelled. The other meetings still take place."
    }

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

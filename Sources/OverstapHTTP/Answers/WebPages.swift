import Foundation
import Mustache
import OverstapCore
import OverstapService

/// The participant's answer pages from `templates.path`/web: Dutch and English, readable on a
/// phone, plain HTML forms that work without JavaScript. Every value is HTML-escaped.
public struct WebPages: Sendable {
    private let library: MustacheLibrary

    /// Loads the page templates; a missing one is an error naming its path.
    public init(folder: String) throws(InputError) {
        var library = MustacheLibrary()
        for name in ["nl/rsvp", "en/rsvp", "notfound"] {
            let path = "\(folder)/web/\(name).mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw InputError(place: path, problem: "cannot be read", fix: "set templates.path to a folder with web/nl and web/en")
            }
            do { try library.register(text, named: name) } catch {
                throw InputError(place: path, problem: "is not a valid Mustache template")
            }
        }
        self.library = library
    }

    /// The page for an invitation: with a confirmation after an answer, or with one choice ready
    /// to confirm when the link from the mail named it (`?answer=decline`); with the roster
    /// question when `consent` asks it (no is chosen until the person says yes).
    func invitation(
        _ view: OverstapService.InvitationView, answered: Answer? = nil, preselected: Answer? = nil,
        consent: OverstapService.RosterConsentView? = nil, consentSaved: Bool = false
    ) -> String {
        let dutch = view.locale != "en"
        var values: [String: Any] = [
            "title": view.title, "when": view.when, "place": view.place, "name": view.name, "open": view.isOpen,
            "can_accept": view.canAccept, "status": Self.status(view, dutch: dutch), "meetings": view.meetings,
            "series": view.meetings.count > 1, "meeting_count": view.meetings.count,
        ]
        if let link = view.joinLink { values["join_link"] = link }
        if let answerBy = view.answerBy, view.isOpen { values["answer_by"] = answerBy }
        if let answered, Self.state(after: answered) == view.state {
            values["confirmation"] = Self.confirmation(answered, dutch: dutch)
        }
        switch preselected {
        case .decline? where view.state != .declined: values["preselect_decline"] = true
        case .accept? where view.canAccept && view.state != .accepted: values["preselect_accept"] = true
        default: values["choices"] = true
        }
        if let consent, consent.asked {
            var question: [String: Any] = [
                "question": consent.text.question, "yes": consent.text.yes, "no": consent.text.no, "version": consent.text.version,
                "agreed": consent.agreed,
            ]
            if consentSaved { question["saved"] = Self.consentSaved(consent.agreed, dutch: dutch) }
            values["consent"] = question
        }
        return library.render(values, withTemplate: dutch ? "nl/rsvp" : "en/rsvp") ?? ""
    }

    /// The state an answer leads to, to tell whether a confirmation still holds.
    private static func state(after answer: Answer) -> EnrollmentState {
        switch answer {
        case .accept: .accepted
        case .tentative: .tentative
        case .decline: .declined
        }
    }

    /// The page for a link that is not (or no longer) valid.
    func notFound() -> String {
        library.render([String: Any](), withTemplate: "notfound") ?? ""
    }

    /// What the person's answer is now, in their language.
    static func status(_ view: OverstapService.InvitationView, dutch: Bool) -> String {
        if !view.isOpen {
            return dutch ? "Deze sessie neemt geen antwoorden meer aan." : "This session no longer takes answers."
        }
        switch view.state {
        case .accepted: return dutch ? "U heeft laten weten dat u komt." : "You have told us you will come."
        case .tentative: return dutch ? "U heeft laten weten dat u misschien komt." : "You have told us you might come."
        case .declined: return dutch ? "U heeft laten weten dat u niet kunt." : "You have told us you cannot come."
        case .cancelled: return dutch ? "Uw plaats is vervallen." : "Your place has been cancelled."
        case .expired:
            let lapsed =
                dutch
                ? "U heeft niet op tijd laten weten of u komt, daarom is uw plaats naar iemand anders gegaan."
                : "You did not let us know in time whether you will come, so your seat went to someone else."
            let next =
                switch (view.canAccept, dutch) {
                case (true, true): "Er is nog een plaats vrij: wilt u toch komen? Kies dan \"Ik kom\"."
                case (true, false): "A seat is still free: would you still like to come? Then choose \"I will come\"."
                case (false, true): "Er is op dit moment geen plaats vrij. Wilt u toch komen? Neem dan contact met ons op."
                case (false, false): "No seat is free at the moment. Would you still like to come? Please contact us."
                }
            return lapsed + " " + next
        default: return dutch ? "Wij hebben nog geen antwoord van u." : "We have not had your answer yet."
        }
    }

    /// The confirmation after a roster answer, saying what the partners will see.
    static func consentSaved(_ agreed: Bool, dutch: Bool) -> String {
        switch (agreed, dutch) {
        case (true, true): "Opgeslagen: de opleider mag uw naam en e-mailadres zien."
        case (true, false): "Saved: the education partner may see your name and e-mail address."
        case (false, true): "Opgeslagen: de opleider ziet alleen een nummer, niet uw naam of e-mailadres."
        case (false, false): "Saved: the education partner sees a number only, not your name or e-mail address."
        }
    }

    /// The confirmation after an answer.
    static func confirmation(_ answer: Answer, dutch: Bool) -> String {
        switch answer {
        case .accept: return dutch ? "Dank u wel! Wij rekenen op u." : "Thank you! We look forward to seeing you."
        case .tentative: return dutch ? "Dank u wel voor uw antwoord." : "Thank you for your answer."
        case .decline:
            return dutch
                ? "Jammer dat u niet kunt. Uw plaats gaat naar iemand anders; de afspraak verdwijnt uit uw agenda."
                : "Sorry you cannot come. Your seat goes to someone else; the appointment will leave your calendar."
        }
    }
}

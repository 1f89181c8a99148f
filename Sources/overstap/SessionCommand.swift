import ArgumentParser
import Foundation
import OverstapCore
import OverstapService

/// `overstap session …`
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Plan, change and cancel sessions.",
        subcommands: [Create.self, List.self, Show.self, Update.self, Cancel.self, ICS.self, Attendance.self, Roster.self])

    static func table(_ views: [SessionView]) -> String {
        var table = TextTable(headers: ["ID", "START", "TITLE", "KIND", "SECTOR", "REGION", "SEATS", "STATUS"])
        table.rows = views.map { view in
            let seats = "\(view.seatsTaken)/\(view.capacity)"
            let start = String(view.start.prefix(16)).replacingOccurrences(of: "T", with: " ")
            let repeats = view.repeatRule == nil ? "" : " (series)"
            return [view.id, start, view.title + repeats, view.kind, view.sector, view.region, seats, view.status]
        }
        return table.render()
    }
}

/// The options `create` and `update` share; on `update` every one is optional.
struct SessionFields: ParsableArguments {
    @Option(help: "Title as participants see it.") var title: String?
    @Option(help: "Partner slug(s), comma-separated; the first leads.") var partner: String?
    @Option(help: "webinar, training or workshop.") var kind: String?
    @Option(help: "The sector the session prepares for (see config/sectors.yaml).") var sector: String?
    @Option(help: "Sectors the session is tailored for, comma-separated.") var audience: String?
    @Option(help: "Local start, \"YYYY-MM-DD HH:MM\" (add +01:00 for a repeated hour).") var start: String?
    @Option(help: "Local end, \"YYYY-MM-DD HH:MM\".") var end: String?
    @Option(help: "Length of each meeting, e.g. 90m or 1h30m.") var duration: String?
    @Option(help: "IANA zone of the times (default: the timezone setting).") var timezone: String?
    @Option(help: "Number of seats.") var capacity: Int?
    @Option(help: "Join link for an online session.") var online: String?
    @Option(help: "Address of an on-site session.") var location: String?
    @Option(help: "Organising region (default: organiser.region).") var region: String?
    @Option(help: "Language code (default nl).") var language: String?
    @Option(name: .customLong("repeat"), help: "Bounded RRULE, e.g. FREQ=WEEKLY;COUNT=6.") var repeatRule: String?
    @Option(help: "What participants will learn and do.") var description: String?
    @Flag(help: "Plan even when a partner's imported calendar says it is busy.") var force = false

    var options: SessionOptions {
        var options = SessionOptions()
        options.title = title
        options.partners = partner.map(Self.list)
        options.kind = kind
        options.sector = sector
        options.audience = audience.map(Self.list)
        options.start = start
        options.end = end
        options.duration = duration
        options.timezone = timezone
        options.capacity = capacity
        options.online = online
        options.location = location
        options.region = region
        options.language = language
        options.repeatRule = repeatRule
        options.description = description
        options.force = force
        return options
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

extension SessionCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a session; prints its id.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var fields: SessionFields

        /// Missing options are a usage error (exit 2), found before anything is opened.
        func validate() throws {
            var missing: [String] = []
            if fields.title == nil { missing.append("--title \"Van keuken naar zorg\"") }
            if fields.partner == nil { missing.append("--partner roc-midden") }
            if fields.kind == nil { missing.append("--kind webinar") }
            if fields.sector == nil { missing.append("--sector zorg") }
            if fields.start == nil { missing.append("--start \"2027-02-02 19:00\"") }
            if fields.end == nil && fields.duration == nil { missing.append("--duration 90m (or --end)") }
            if fields.capacity == nil { missing.append("--capacity 20") }
            if fields.online == nil && fields.location == nil { missing.append("--online URL (or --location TEXT)") }
            guard missing.isEmpty else {
                throw ValidationError("missing \(missing.count == 1 ? "option" : "options"): \(missing.joined(separator: ", "))")
            }
        }

        func run() async throws {
            let stored = try await global.service().createSession(fields.options)
            print(stored.id)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sessions by start.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this partner's sessions.") var partner: String?
        @Option(help: "Only this region's sessions.") var region: String?
        @Option(help: "Only sessions still running on or after this date (YYYY-MM-DD).") var from: String?
        @Option(help: "Only sessions starting before the end of this date (YYYY-MM-DD).") var to: String?

        func run() async throws {
            let service = try await global.service()
            let filter = SessionFilter(
                partner: partner, region: region, from: try from.map { try service.startOfDay($0, place: "--from") },
                to: try to.map { try service.startOfDay($0, place: "--to").addingTimeInterval(86_400) })
            var formatter = TimeFormatter()
            let views = try await service.sessions(filter).map { try SessionView($0, formatter: &formatter, withMeetings: false) }
            if output.json { return try JSONOutput.print(views) }
            print(SessionCommand.table(views))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a session with its meetings and enrollments.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The session id.") var id: Int64

        func run() async throws {
            let service = try await global.service()
            let (stored, enrollments) = try await service.session(id: id)
            var formatter = TimeFormatter()
            var view = try SessionView(stored, formatter: &formatter, withMeetings: true)
            view.addAttendance(try await service.attendanceCounts(sessionID: id), meetings: try stored.session.schedule())
            view.answers = SessionView.AnswerCounts(enrollments.map(\.enrollment.state))
            let enrollmentViews = enrollments.map {
                EnrollmentView(worker: $0.email, name: $0.name, state: $0.enrollment.state.rawValue)
            }
            if output.json {
                struct View: Encodable {
                    var session: SessionView
                    var enrollments: [EnrollmentView]
                }
                return try JSONOutput.print(View(session: view, enrollments: enrollmentViews))
            }
            print(Self.describe(view))
            print("")
            print("enrollments (\(enrollmentViews.count)):")
            for state in EnrollmentState.allCases {
                let names = enrollmentViews.filter { $0.state == state.rawValue }
                guard !names.isEmpty else { continue }
                print("  \(state.rawValue) (\(names.count)): " + names.map { "\($0.name ?? "") <\($0.worker ?? "")>" }.joined(separator: ", "))
            }
        }

        static func describe(_ view: SessionView) -> String {
            var lines = [
                "\(view.title)  [session \(view.id), \(view.kind), \(view.status)]",
                "partners:  \(view.partners.joined(separator: ", "))",
                "sector:    \(view.sector)   audience: \(view.audience.isEmpty ? "-" : view.audience.joined(separator: ", "))",
                "region:    \(view.region)   language: \(view.language)",
                "where:     \(view.onlineURL ?? view.location ?? "-")",
                "seats:     \(view.seatsTaken) taken, \(view.seatsFree) free of \(view.capacity)",
                "timezone:  \(view.timezone)   sequence: \(view.sequence)   uid: \(view.uid)",
            ]
            if let rule = view.repeatRule { lines.append("repeat:    \(rule)") }
            if let reason = view.cancelReason { lines.append("cancelled: \(reason)") }
            lines.append("meetings:")
            lines += (view.meetings ?? []).map { meeting in
                let note: String
                switch meeting.status {
                case MeetingStatus.moved.rawValue: note = "  (moved; originally \(meeting.originalStart))"
                case MeetingStatus.cancelled.rawValue: note = "  (cancelled)"
                default: note = ""
                }
                return "  \(meeting.start) – \(meeting.end)\(note)"
            }
            if let answers = view.answers {
                lines.append(
                    "answers:   \(answers.accepted) accepted, \(answers.tentative) tentative, \(answers.declined) declined, "
                        + "\(answers.noAnswer) no answer, \(answers.expired) expired")
            }
            if !view.description.isEmpty { lines += ["", view.description] }
            return lines.joined(separator: "\n")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a session; participants see a new version.",
            discussion: """
                With --meeting DATE (the meeting's original date, YYYY-MM-DD) only that meeting of a series moves, \
                to --start (and --end or --duration; default its current length). A cancelled meeting given a time \
                takes place again; a meeting moved back to its original time is no exception any more. The times of \
                the whole series cannot change while meetings are changed one by one.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The session id.") var id: Int64
        @Option(help: "Move only the meeting originally on this date (YYYY-MM-DD).") var meeting: String?
        @OptionGroup var fields: SessionFields

        /// `--meeting` moves one meeting: it needs --start and takes no other session field.
        func validate() throws {
            guard meeting != nil else { return }
            if fields.start == nil { throw ValidationError("--meeting needs --start \"YYYY-MM-DD HH:MM\" (the meeting's new start)") }
            var others = fields.options
            others.start = nil
            others.end = nil
            others.duration = nil
            others.force = false
            if others != SessionOptions() {
                throw ValidationError("--meeting moves one meeting: give only --start and --end or --duration with it")
            }
        }

        func run() async throws {
            let service = try await global.service()
            if let meeting {
                let change = try await service.moveMeeting(
                    id: id, date: meeting, start: fields.start ?? "", end: fields.end, duration: fields.duration, force: fields.force)
                print("session \(change.session.id): meeting of \(meeting) \(Self.describe(change.meeting)) (sequence \(change.session.session.sequence))")
                if change.partnersTold > 0 { print("partners told by e-mail: \(change.partnersTold)") }
                return
            }
            let stored = try await service.updateSession(id: id, fields.options)
            print("session \(stored.id) updated (sequence \(stored.session.sequence))")
        }

        static func describe(_ meeting: Meeting) -> String {
            meeting.status == .scheduled ? "takes place as planned, \(meeting.start)" : "moved to \(meeting.start) – \(meeting.end.description.suffix(5))"
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a session, or one meeting of a series with --meeting.",
            discussion: """
                With --meeting DATE (the meeting's original date, YYYY-MM-DD) only that meeting is called off: \
                participants get a calendar CANCEL for it and the rest of the series stays. When the meeting is less \
                than 48 hours away the partners are told by e-mail too.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The session id.") var id: Int64
        @Option(help: "Cancel only the meeting originally on this date (YYYY-MM-DD).") var meeting: String?
        @Option(help: "Why, as participants will read it.") var reason: String?

        func run() async throws {
            let service = try await global.service()
            if let meeting {
                let change = try await service.cancelMeeting(id: id, date: meeting, reason: reason)
                print("session \(change.session.id): meeting of \(meeting) cancelled (sequence \(change.session.session.sequence))")
                if change.partnersTold > 0 { print("partners told by e-mail: \(change.partnersTold)") }
                return
            }
            let stored = try await service.cancelSession(id: id, reason: reason)
            print("session \(stored.id) cancelled")
        }
    }

    struct ICS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ics", abstract: "Print one session as iCalendar (PUBLISH, no personal data).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The session id.") var id: Int64
        @Option(help: "Write to this file (atomically) instead of standard output.") var output: String?

        func run() async throws {
            try TextOutput.write(try await global.service().sessionCalendar(id: id), to: output)
        }
    }
}

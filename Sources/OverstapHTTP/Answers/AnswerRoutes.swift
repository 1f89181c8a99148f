import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OverstapCore
import OverstapService

/// `/rsvp/{token}`: GET shows the invitation and never changes anything (mail scanners open
/// links; `?answer=decline` only readies that choice); POST with `answer=accept|decline` records
/// the answer and redirects (303) to the page, so a refresh shows it without answering again.
/// Someone who said they will come is asked on the same page whether the session's partners may
/// see their name and e-mail address (a POST with `roster=yes|no` and the `text_version` shown).
public struct AnswerRoutes: Sendable {
    let service: OverstapService
    let pages: WebPages
    let onAnswer: @Sendable () async -> Void

    /// Creates the routes; `onAnswer` runs after an answer was stored (to wake the dispatcher).
    public init(service: OverstapService, pages: WebPages, onAnswer: @escaping @Sendable () async -> Void = {}) {
        self.service = service
        self.pages = pages
        self.onAnswer = onAnswer
    }

    /// Adds the routes to a router.
    public func add(to router: Router<BasicRequestContext>) {
        router.get("/rsvp/{token}") { request, context in
            try await show(request, context)
        }
        router.post("/rsvp/{token}") { request, context in
            try await answer(request, context)
        }
    }

    private func show(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token"), let view = try await service.invitation(token: token) else { return notFound }
        let query = request.uri.queryParameters
        return Self.page(
            .ok,
            pages.invitation(
                view, answered: query.get("answered").flatMap(Answer.init(rawValue:)),
                preselected: query.get("answer").flatMap(Answer.init(rawValue:)), consent: try await service.rosterConsent(token: token),
                consentSaved: query.get("roster") == "saved"))
    }

    /// A yes or no to the roster question; a page older than the current wording is shown again to be read.
    private func consent(token: String, _ fields: [String: String]) async throws -> Response {
        let agreed: Bool
        switch fields["roster"] {
        case "yes": agreed = true
        case "no": agreed = false
        default: return try await page(.badRequest, token: token)
        }
        switch try await service.recordRosterConsent(token: token, agreed: agreed, textVersion: fields["text_version"] ?? "") {
        case nil:
            return notFound
        case .success?:
            var response = Self.page(.seeOther, "")
            response.headers[.location] = "\(token)?roster=saved"
            return response
        case .failure?:
            return try await page(.conflict, token: token)
        }
    }

    /// The invitation page with the roster question, as a GET without parameters shows it.
    private func page(_ status: HTTPResponse.Status, token: String) async throws -> Response {
        guard let view = try await service.invitation(token: token) else { return notFound }
        return Self.page(status, pages.invitation(view, consent: try await service.rosterConsent(token: token)))
    }

    private func answer(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let token = context.parameters.get("token") else { return notFound }
        let form = String(buffer: try await request.body.collect(upTo: 4096))
        let fields = Dictionary(
            form.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { first, _ in first })
        if fields["roster"] != nil { return try await consent(token: token, fields) }
        guard let answer = fields["answer"].flatMap(Answer.init(rawValue:)) else {
            return try await page(.badRequest, token: token)
        }
        switch try await service.answer(token: token, answer) {
        case nil:
            return notFound
        case .success?:
            await onAnswer()
            // Relative to /rsvp/TOKEN, so it also holds behind a proxy that serves under a path.
            var response = Self.page(.seeOther, "")
            response.headers[.location] = "\(token)?answered=\(answer.rawValue)"
            return response
        case .failure?:
            return try await page(.conflict, token: token)
        }
    }

    private var notFound: Response { Self.page(.notFound, pages.notFound()) }

    /// Answer pages carry a capability in their URL: never cached, never indexed, never sent on as a referrer.
    private static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer",
                HTTPField.Name("X-Robots-Tag")!: "noindex",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

import CLibical

extension CalendarDocument {
    /// libical's iTIP restriction check for the document's METHOD; empty when it passes.
    /// `icalrestriction_check` writes X-LIC-ERROR markers into the tree it checks, so it runs on a copy.
    public func restrictionProblems() throws(CalendarBuildError) -> [String] {
        try Libical.withLock { state throws(CalendarBuildError) in
            let built = try CalendarTreeBuilder.build(self, state: &state)
            guard let copy = built.clone() else { return ["libical could not copy the calendar"] }
            icalrestriction_check(copy.pointer)
            var problems: [String] = []
            Self.collectErrors(in: copy.pointer, into: &problems)
            return problems
        }
    }

    private static func collectErrors(in component: OpaquePointer, into problems: inout [String]) {
        var property = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY)
        while let current = property {
            let kind = Libical.string(icalcomponent_kind_to_string(icalcomponent_isa(component))) ?? "?"
            problems.append("\(kind): \(Libical.string(icalproperty_get_xlicerror(current)) ?? "")")
            property = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)
        }
        var child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT)
        while let current = child {
            collectErrors(in: current, into: &problems)
            child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)
        }
    }
}

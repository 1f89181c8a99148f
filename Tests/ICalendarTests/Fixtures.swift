/// Calendar exports written for these tests from the public descriptions of each client's format.
enum Fixtures {
    /// Outlook: Windows zone name with its own VTIMEZONE, X-MS-OLK properties, a weekly series with
    /// an EXDATE and one occurrence moved by a RECURRENCE-ID override, CRLF line ends.
    static let outlook = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "X-MS-OLK-FORCEINSPECTOROPEN:TRUE",
        "BEGIN:VTIMEZONE",
        "TZID:W. Europe Standard Time",
        "BEGIN:STANDARD",
        "DTSTART:16011028T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:16010325T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "CLASS:PUBLIC",
        "CREATED:20261201T101010Z",
        "DTEND;TZID=\"W. Europe Standard Time\":20270309T110000",
        "DTSTAMP:20261201T101010Z",
        "DTSTART;TZID=\"W. Europe Standard Time\":20270309T090000",
        "EXDATE;TZID=\"W. Europe Standard Time\":20270323T090000",
        "LAST-MODIFIED:20261201T101010Z",
        "RRULE:FREQ=WEEKLY;COUNT=5;BYDAY=TU",
        "SEQUENCE:0",
        "SUMMARY;LANGUAGE=nl-NL:Teamoverleg opleidingen",
        "TRANSP:OPAQUE",
        "UID:040000008200E00074C5B7101A82E00800000000D0A1B2C3D4E5F601000000000000000",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        "X-MS-OLK-AUTOFILLLOCATION:FALSE",
        "X-MS-OLK-CONFTYPE:0",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "DTEND;TZID=\"W. Europe Standard Time\":20270331T160000",
        "DTSTAMP:20261201T101010Z",
        "DTSTART;TZID=\"W. Europe Standard Time\":20270331T140000",
        "RECURRENCE-ID;TZID=\"W. Europe Standard Time\":20270330T090000",
        "SEQUENCE:1",
        "SUMMARY:Teamoverleg opleidingen (verplaatst)",
        "UID:040000008200E00074C5B7101A82E00800000000D0A1B2C3D4E5F601000000000000000",
        "END:VEVENT",
        "END:VCALENDAR",
    ].joined(separator: "\r\n") + "\r\n"

    /// Outlook without a VTIMEZONE: the Windows zone name must resolve through CLDR.
    static let outlookWithoutZone = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
        BEGIN:VEVENT
        UID:outlook-no-zone
        DTSTAMP:20261201T101010Z
        DTSTART;TZID=W. Europe Standard Time:20270706T100000
        DTEND;TZID=W. Europe Standard Time:20270706T120000
        SUMMARY:Open dag
        END:VEVENT
        END:VCALENDAR

        """

    /// Google Calendar: UTC times, an all-day event, a free (transparent) event, folded lines, LF.
    static let google = """
        BEGIN:VCALENDAR
        PRODID:-//Google Inc//Google Calendar 70.9054//EN
        VERSION:2.0
        CALSCALE:GREGORIAN
        METHOD:PUBLISH
        X-WR-CALNAME:Rooster ROC
        X-WR-TIMEZONE:Europe/Amsterdam
        BEGIN:VEVENT
        DTSTART:20270112T130000Z
        DTEND:20270112T150000Z
        DTSTAMP:20261215T120000Z
        UID:7kukuqrfedlm2f9t2a5pm0f0ig@google.com
        CREATED:20261210T090000Z
        DESCRIPTION:Praktijkles in het skills lab. Neem werkkleding mee\\, en een
          lunchpakket\\; de kantine is gesloten.
        LAST-MODIFIED:20261215T120000Z
        LOCATION:Australiëlaan 25\\, Utrecht
        SEQUENCE:0
        STATUS:CONFIRMED
        SUMMARY:Praktijkles zorg
        TRANSP:OPAQUE
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;VALUE=DATE:20270115
        DTEND;VALUE=DATE:20270116
        DTSTAMP:20261215T120000Z
        UID:allday-studiedag@google.com
        SUMMARY:Studiedag (school dicht)
        TRANSP:TRANSPARENT
        END:VEVENT
        END:VCALENDAR

        """

    /// Apple Calendar: IANA TZID with VTIMEZONE, floating time, X-APPLE properties.
    static let apple = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Apple Inc.//macOS 14.2//EN
        CALSCALE:GREGORIAN
        BEGIN:VTIMEZONE
        TZID:Europe/Amsterdam
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        DTSTART:19810329T020000
        TZNAME:CEST
        TZOFFSETTO:+0200
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        DTSTART:19961027T030000
        TZNAME:CET
        TZOFFSETTO:+0100
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        CREATED:20261120T100000Z
        UID:B2D6F1C2-8E4A-4C7E-9A51-6B0B7E0E4D11
        DTEND;TZID=Europe/Amsterdam:20270128T210000
        SUMMARY:Ouderavond 🎓
        LAST-MODIFIED:20261120T100000Z
        DTSTAMP:20261120T100000Z
        DTSTART;TZID=Europe/Amsterdam:20270128T190000
        SEQUENCE:1
        X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
        END:VEVENT
        BEGIN:VEVENT
        UID:floating-1@apple
        DTSTAMP:20261120T100000Z
        DTSTART:20270129T090000
        DTEND:20270129T100000
        SUMMARY:Zwevend
        END:VEVENT
        END:VCALENDAR

        """
}

#!/usr/bin/env python3
"""Writes the reply fixtures (*.eml) in this folder: calendar answers as Outlook/Exchange 2010,
Microsoft 365, Gmail, Apple Mail/iCloud, Thunderbird and Evolution send them (written from the
public descriptions of each, not copied), plus forwarded, redelivered, stale, out-of-order, forged
and alias cases and a question with no calendar part. Run it after changing a fixture here; the
tests read the .eml files, not this script. All answer the session with UID `UID` below."""
import base64, os, quopri

HERE = os.path.dirname(os.path.abspath(__file__))
UID = "7c9e6679-7425-40de-944b-e07fc1f90ae7@mobiliteit.example.nl"
TEAM = "team@mobiliteit.example.nl"

def b64(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))

def qp(data: bytes) -> str:
    return quopri.encodestring(data).decode().replace("\r\n", "\n").replace("\n", "\r\n")

def ics(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")

def write(name: str, text: str, newline: str = "\r\n", encoding: str = "utf-8") -> None:
    data = text.replace("\r\n", "\n").replace("\n", newline).encode(encoding)
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)

WINDOWS_ZONE = [
    "BEGIN:VTIMEZONE", "TZID:W. Europe Standard Time",
    "BEGIN:STANDARD", "DTSTART:16010101T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10", "END:STANDARD",
    "BEGIN:DAYLIGHT", "DTSTART:16010101T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3", "END:DAYLIGHT", "END:VTIMEZONE",
]
AMSTERDAM = [
    "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE",
]

def exchange(method: str, partstat: str, attendee: str, cn: str, stamp: str, sequence: int, extra=(), start="20270202T190000", end="20270202T213000") -> bytes:
    """Exchange 2010 / Microsoft 365: no ORGANIZER, upper-case MAILTO, unquoted CN, Windows zone."""
    return ics(
        "BEGIN:VCALENDAR", f"METHOD:{method}", "PRODID:Microsoft Exchange Server 2010", "VERSION:2.0", *WINDOWS_ZONE,
        "BEGIN:VEVENT", f"ATTENDEE;PARTSTAT={partstat};CN={cn}:MAILTO:{attendee}", *extra,
        "SUMMARY;LANGUAGE=nl-NL:Geaccepteerd: Kennismaking zorg en welzijn" if partstat == "ACCEPTED" else "SUMMARY;LANGUAGE=nl-NL:Kennismaking zorg en welzijn",
        f"DTSTART;TZID=W. Europe Standard Time:{start}", f"DTEND;TZID=W. Europe Standard Time:{end}",
        f"UID:{UID}", "CLASS:PUBLIC", "PRIORITY:5", f"DTSTAMP:{stamp}", "TRANSP:OPAQUE", "STATUS:CONFIRMED",
        f"SEQUENCE:{sequence}", "LOCATION;LANGUAGE=nl-NL:ROC Midden Nederland\\, Utrecht",
        f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}", "X-MICROSOFT-CDO-OWNERAPPTID:-1203456789",
        "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY", "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
        "X-MICROSOFT-CDO-IMPORTANCE:1", "X-MICROSOFT-CDO-INSTTYPE:0", "X-MICROSOFT-DISALLOW-COUNTER:FALSE",
        "END:VEVENT", "END:VCALENDAR")

def outlook_mail(message_id: str, sender: str, subject: str, calendar: bytes, plain: str, extra_headers: str = "", date="Mon, 11 Jan 2027 09:14:03 +0100") -> str:
    return f"""Received: from EXCH01.example.nl (10.0.0.12) by mx.mobiliteit.example.nl
 (Postfix) with ESMTPS id 4F2A1B; Mon, 11 Jan 2027 09:14:05 +0100
{extra_headers}From: {sender}
To: Mobiliteitsteam <{TEAM}>
Subject: {subject}
Thread-Topic: Kennismaking zorg en welzijn
Thread-Index: AQHbY2xvZGVyAAAAAAAAAA==
Date: {date}
Message-ID:
 <{message_id}>
Accept-Language: nl-NL, en-US
Content-Language: nl-NL
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-class: urn:content-classes:calendarmessage
Content-Type: multipart/alternative;
\tboundary="_000_AM0PR02MB5123ABCDEF_"
MIME-Version: 1.0

--_000_AM0PR02MB5123ABCDEF_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

{plain}

--_000_AM0PR02MB5123ABCDEF_
Content-Type: text/calendar; charset="utf-8"; method=REPLY
Content-Transfer-Encoding: base64

{b64(calendar)}

--_000_AM0PR02MB5123ABCDEF_--
"""

# Outlook on Exchange 2010 accepts: no ORGANIZER, attendee address in another case than From.
exchange_accept = exchange("REPLY", "ACCEPTED", "Anouk.Jansen@Example.nl", "Anouk Jansen", "20270111T081400Z", 2)
write("outlook-exchange2010-accept.eml", outlook_mail(
    "AM0PR02MB5123A1B2C3D4E5F6A7B8C9D0@AM0PR02MB5123.eurprd02.prod.outlook.com", '"Jansen, Anouk" <anouk.jansen@example.nl>',
    "Geaccepteerd: Kennismaking zorg en welzijn", exchange_accept, "Ik kom graag."))
# The same message delivered again (the fetcher retried): one more Received line, Message-ID folded otherwise.
write("outlook-exchange2010-accept-redelivered.eml", "Received: from mx.mobiliteit.example.nl by mbox.mobiliteit.example.nl;\r\n Mon, 11 Jan 2027 09:20:00 +0100\r\n" + outlook_mail(
    "AM0PR02MB5123A1B2C3D4E5F6A7B8C9D0@AM0PR02MB5123.eurprd02.prod.outlook.com", '"Jansen, Anouk" <anouk.jansen@example.nl>',
    "Geaccepteerd: Kennismaking zorg en welzijn", exchange_accept, "Ik kom graag.").replace("Message-ID:\n <", "Message-ID: <"))

# Microsoft 365 declines, with an older SEQUENCE and a COMMENT; Authentication-Results without an
# authserv-id on top, and an older hop's header below it that must not count.
m365 = exchange("REPLY", "DECLINED", "sanne.visser@contoso-zorg.nl", "Sanne Visser", "20270112T154500Z", 1,
                extra=["COMMENT;LANGUAGE=nl-NL:Ik heb die avond dienst\\, sorry."])
m365_headers = ("Authentication-Results: spf=pass (sender IP is 40.107.22.55)\n smtp.mailfrom=contoso-zorg.nl; dkim=pass (signature was verified)\n"
                " header.d=contoso-zorg.nl;dmarc=pass action=none\n header.from=contoso-zorg.nl;compauth=pass reason=100\n"
                "Authentication-Results: relay.example.net; dmarc=fail header.from=contoso-zorg.nl\n"
                "X-MS-Exchange-Organization-AuthSource: DB8PR02MB5678.eurprd02.prod.outlook.com\n")
write("microsoft365-decline-older-sequence.eml", outlook_mail(
    "DB8PR02MB56789F0E1D2C3B4A@DB8PR02MB5678.eurprd02.prod.outlook.com", "Sanne Visser <sanne.visser@contoso-zorg.nl>",
    "Geweigerd: Kennismaking zorg en welzijn", m365, "Ik heb die avond dienst, sorry.", extra_headers=m365_headers,
    date="Tue, 12 Jan 2027 16:45:00 +0100"))

# Outlook proposes a new time (COUNTER) with a comment.
counter = exchange("COUNTER", "TENTATIVE", "anouk.jansen@example.nl", "Anouk Jansen", "20270113T100000Z", 2,
                   extra=["COMMENT;LANGUAGE=nl-NL:Kan het een uur later? Ik werk tot half zeven."],
                   start="20270202T200000", end="20270202T223000")
write("outlook-counter-with-comment.eml", outlook_mail(
    "AM0PR02MB5123C0FFEE00112233@AM0PR02MB5123.eurprd02.prod.outlook.com", '"Jansen, Anouk" <anouk.jansen@example.nl>',
    "Nieuwe tijd voorgesteld: Kennismaking zorg en welzijn", counter, "Kan het een uur later?").replace("method=REPLY", "method=COUNTER"))

# Outlook delegates the invitation to a colleague.
delegated = exchange("REPLY", "DELEGATED", "anouk.jansen@example.nl", "Anouk Jansen", "20270114T080000Z", 2)
delegated = delegated.replace(b"ATTENDEE;PARTSTAT=DELEGATED;", b'ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:m.dekker@example.nl";')
write("outlook-delegated.eml", outlook_mail(
    "AM0PR02MB5123DE1E6A7ED00001@AM0PR02MB5123.eurprd02.prod.outlook.com", '"Jansen, Anouk" <anouk.jansen@example.nl>',
    "Gedelegeerd: Kennismaking zorg en welzijn", delegated, "Mijn collega gaat in mijn plaats."))

# A forged decline: the receiving server says DMARC failed for example.nl.
forged = exchange("REPLY", "DECLINED", "anouk.jansen@example.nl", "Anouk Jansen", "20270115T220000Z", 2)
write("forged-dmarc-fail.eml", outlook_mail(
    "f0r9ed-1234@mail.bad.example", "Anouk Jansen <anouk.jansen@example.nl>", "Geweigerd: Kennismaking zorg en welzijn",
    forged, "Ik kom niet.", extra_headers=(
        "Authentication-Results: mx.mobiliteit.example.nl; dkim=none; spf=fail\n smtp.mailfrom=anouk.jansen@example.nl;"
        " dmarc=fail (p=quarantine dis=none) header.from=example.nl\n")))

def google(partstat: str, attendee: str, cn: str, stamp: str, sequence: int) -> bytes:
    return ics(
        "BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN",
        "METHOD:REPLY", "BEGIN:VEVENT", "DTSTART:20270202T180000Z", "DTEND:20270202T203000Z", f"DTSTAMP:{stamp}",
        f"ORGANIZER;CN=Mobiliteitsteam:mailto:{TEAM}", f"UID:{UID}",
        f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={cn};X-NUM-GUESTS=0:mailto:{attendee}",
        "CREATED:20270105T120000Z", "LAST-MODIFIED:" + stamp, "LOCATION:ROC Midden Nederland\\, Utrecht",
        f"SEQUENCE:{sequence}", "STATUS:CONFIRMED", "SUMMARY:Kennismaking zorg en welzijn", "TRANSP:OPAQUE",
        "END:VEVENT", "END:VCALENDAR")

def gmail_mail(message_id: str, sender: str, calendar: bytes, attachment_headers: str, date: str) -> str:
    return f"""Return-Path: <bram.devries@gmail.com>
Delivered-To: {TEAM}
Authentication-Results: mx.mobiliteit.example.nl;
\tdkim=pass (2048-bit key; unprotected) header.d=gmail.com header.i=@gmail.com header.b="Ab12Cd34";
\tdmarc=pass (p=none dis=none) header.from=gmail.com
Received: from mail-ed1-f41.google.com (mail-ed1-f41.google.com [209.85.208.41])
\tby mx.mobiliteit.example.nl (Postfix) with ESMTPS id 7D3E2C;
\t{date}
MIME-Version: 1.0
From: {sender}
Date: {date}
Message-ID: <{message_id}>
Subject: Invitation: Kennismaking zorg en welzijn @ di 2 feb. 2027 19:00 - 21:30 (CET) (Mobiliteitsteam)
To: {TEAM}
Content-Type: multipart/mixed; boundary="000000000000a1b2c3d4e5f60718"

--000000000000a1b2c3d4e5f60718
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f60717"

--000000000000a1b2c3d4e5f60717
Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes
Content-Transfer-Encoding: base64

{b64("Bram de Vries heeft deze uitnodiging geaccepteerd.".encode())}
--000000000000a1b2c3d4e5f60717
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<p>Bram de Vries heeft deze uitnodiging <b>geaccepteerd</b>.</p>
--000000000000a1b2c3d4e5f60717
Content-Type: text/calendar; charset="UTF-8"; method=REPLY
Content-Transfer-Encoding: 7bit

{calendar.decode()}
--000000000000a1b2c3d4e5f60717--

--000000000000a1b2c3d4e5f60718
{attachment_headers}
Content-Transfer-Encoding: base64

{b64(calendar)}
--000000000000a1b2c3d4e5f60718--
"""

gmail_accept = google("ACCEPTED", "bram.devries@gmail.com", "Bram de Vries", "20270111T120000Z", 2)
write("gmail-accept.eml", gmail_mail("CAJ7x0Qm1aBcDeFgH+ijk=LmN0pQ@mail.gmail.com", "Bram de Vries <bram.devries@gmail.com>", gmail_accept,
    'Content-Type: application/ics; name="invite.ics"\nContent-Disposition: attachment; filename="invite.ics"',
    "Mon, 11 Jan 2027 13:00:01 +0100"))
# An accept of an older version (SEQUENCE 0 while 2 was sent since).
gmail_stale = google("ACCEPTED", "bram.devries@gmail.com", "Bram de Vries", "20270116T120000Z", 0)
write("gmail-accept-stale-sequence.eml", gmail_mail("CAJ7x0Qm2STALE+seq0=abc@mail.gmail.com", "Bram de Vries <bram.devries@gmail.com>", gmail_stale,
    'Content-Type: application/ics; name="invite.ics"\nContent-Disposition: attachment; filename="invite.ics"',
    "Sat, 16 Jan 2027 13:00:01 +0100"))
# Gmail ignores dots: the invitation went to bram.devries@gmail.com, the answer names bramdevries@gmail.com.
# Only an octet-stream attachment with an RFC 2231 file name carries the calendar here.
gmail_alias = google("ACCEPTED", "bramdevries@gmail.com", "Bram de Vries", "20270111T121500Z", 2)
write("gmail-accept-dotted-alias.eml", gmail_mail("CAJ7x0Qm3ALIAS=dots@mail.gmail.com", "Bram de Vries <bramdevries@gmail.com>", gmail_alias,
    "Content-Type: application/octet-stream\nContent-Disposition: attachment;\n filename*=UTF-8''uitnodiging%20%C3%A9%C3%A9n.ics",
    "Mon, 11 Jan 2027 13:15:01 +0100").replace(
    'Content-Type: text/calendar; charset="UTF-8"; method=REPLY\nContent-Transfer-Encoding: 7bit\n\n' + gmail_alias.decode().replace("\r\n", "\n"),
    "Content-Type: text/plain; charset=\"UTF-8\"\n\nAccepted").replace(
    'Content-Type: text/calendar; charset="UTF-8"; method=REPLY\nContent-Transfer-Encoding: 7bit\n\n' + gmail_alias.decode(),
    "Content-Type: text/plain; charset=\"UTF-8\"\n\nAccepted"))

# Apple Mail / iCloud: quoted-printable calendar with X-APPLE properties, quoted CN, EMAIL parameter.
apple = ics(
    "BEGIN:VCALENDAR", "CALSCALE:GREGORIAN", "PRODID:-//Apple Inc.//iPhone OS 18.1//EN", "VERSION:2.0", "METHOD:REPLY",
    *AMSTERDAM, "BEGIN:VEVENT",
    'ATTENDEE;CN="Fatima El Amrani";CUTYPE=INDIVIDUAL;EMAIL="fatima.elamrani@icloud.com";PARTSTAT=TENTATIVE;ROLE=REQ-PARTICIPANT:mailto:fatima.elamrani@icloud.com',
    "DTEND;TZID=Europe/Amsterdam:20270202T213000", "DTSTAMP:20270111T183011Z", "DTSTART;TZID=Europe/Amsterdam:20270202T190000",
    "LAST-MODIFIED:20270111T183011Z", 'ORGANIZER;CN="Mobiliteitsteam":mailto:' + TEAM, "SEQUENCE:2",
    "SUMMARY:Kennismaking zorg en welzijn", f"UID:{UID}", "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC",
    "X-APPLE-NEEDS-REPLY:FALSE", "REQUEST-STATUS:2.0;Success", "END:VEVENT", "END:VCALENDAR")
write("apple-icloud-tentative.eml", f"""Return-Path: <fatima.elamrani@icloud.com>
Authentication-Results: mx.mobiliteit.example.nl; dkim=pass header.d=icloud.com; spf=pass smtp.mailfrom=icloud.com;
  dmarc=pass (p=quarantine) header.from=icloud.com
From: =?utf-8?Q?Fatima_El_Amrani?= <fatima.elamrani@icloud.com>
Content-Type: multipart/alternative; boundary="Apple-Mail=_2F0B1C3D-4E5F-6071-8293-A4B5C6D7E8F9"
Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3826.200.121\\))
Subject: =?utf-8?Q?Voorlopig_geaccepteerd=3A_Kennismaking_zorg_en_welzijn?=
Date: Mon, 11 Jan 2027 19:30:11 +0100
Message-Id: <5A1B2C3D-4E5F-4061-8293-ABCDEF012345@icloud.com>
To: Mobiliteitsteam <{TEAM}>
X-Mailer: iPhone Mail (22B83)

--Apple-Mail=_2F0B1C3D-4E5F-6071-8293-A4B5C6D7E8F9
Content-Transfer-Encoding: quoted-printable
Content-Type: text/plain;
\tcharset=utf-8

Fatima El Amrani heeft =E2=80=9Cvoorlopig=E2=80=9D geaccepteerd.
--Apple-Mail=_2F0B1C3D-4E5F-6071-8293-A4B5C6D7E8F9
Content-Transfer-Encoding: quoted-printable
Content-Type: text/calendar;
\tcharset=utf-8;
\tmethod=REPLY;
\tname=iCal-20270111-193011.ics

{qp(apple)}
--Apple-Mail=_2F0B1C3D-4E5F-6071-8293-A4B5C6D7E8F9--
""")

def thunderbird(partstat: str, stamp: str, recurrence: bool = False, comment: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN", "VERSION:2.0", "METHOD:REPLY",
             *AMSTERDAM, "BEGIN:VEVENT", "CREATED:20270105T120000Z", "LAST-MODIFIED:" + stamp, f"DTSTAMP:{stamp}", f"UID:{UID}",
             "SUMMARY:Kennismaking zorg en welzijn", f"ORGANIZER;CN=Mobiliteitsteam:mailto:{TEAM}",
             f"ATTENDEE;RSVP=TRUE;PARTSTAT={partstat};ROLE=REQ-PARTICIPANT;CN=Piet Bakker:mailto:piet.bakker@posteo.nl"]
    if recurrence:
        lines += ["RECURRENCE-ID;TZID=Europe/Amsterdam:20270216T190000",
                  "DTSTART;TZID=Europe/Amsterdam:20270216T190000", "DTEND;TZID=Europe/Amsterdam:20270216T213000"]
    else:
        lines += ["RRULE:FREQ=WEEKLY;COUNT=6", "DTSTART;TZID=Europe/Amsterdam:20270202T190000", "DTEND;TZID=Europe/Amsterdam:20270202T213000"]
    if comment:
        lines.append(f"COMMENT:{comment}")
    lines += ["SEQUENCE:2", "X-MOZ-GENERATION:3", "END:VEVENT", "END:VCALENDAR"]
    return ics(*lines)

def thunderbird_mail(message_id: str, subject: str, calendar: bytes, date: str, plain: str) -> str:
    return f"""From piet.bakker@posteo.nl  {date[5:]}
Return-Path: <piet.bakker@posteo.nl>
Authentication-Results: mx.mobiliteit.example.nl; dkim=pass header.d=posteo.nl; dmarc=pass header.from=posteo.nl
Message-ID: <{message_id}>
Date: {date}
MIME-Version: 1.0
User-Agent: Mozilla Thunderbird
From: Piet Bakker <piet.bakker@posteo.nl>
To: {TEAM}
Subject: {subject}
Content-Type: multipart/mixed; boundary="------------0aB1cD2eF3gH4iJ5kL6mN7oP"

This is a multi-part message in MIME format.
--------------0aB1cD2eF3gH4iJ5kL6mN7oP
Content-Type: multipart/alternative;
 boundary="------------qR8sT9uV0wX1yZ2aB3cD4eF5"

--------------qR8sT9uV0wX1yZ2aB3cD4eF5
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

{plain}

--------------qR8sT9uV0wX1yZ2aB3cD4eF5
Content-Type: text/calendar; method=REPLY; charset=UTF-8
Content-Transfer-Encoding: 8bit

{calendar.decode()}
--------------qR8sT9uV0wX1yZ2aB3cD4eF5--
--------------0aB1cD2eF3gH4iJ5kL6mN7oP
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

{b64(calendar)}
--------------0aB1cD2eF3gH4iJ5kL6mN7oP--
"""

# Thunderbird declines one meeting of the series (RECURRENCE-ID), delivered as an mbox file with bare LF.
write("thunderbird-decline-one-meeting.eml", thunderbird_mail(
    "e3a1b2c4-5d6e-4f70-8a91-b2c3d4e5f607@posteo.nl", "Afgewezen: Kennismaking zorg en welzijn",
    thunderbird("DECLINED", "20270112T200000Z", recurrence=True, comment="Op 16 februari ben ik op vakantie."),
    "Tue, 12 Jan 2027 21:00:00 +0100", "Piet Bakker heeft één bijeenkomst afgewezen."), newline="\n")
# Out of order: the decline was written on the 14th, the accept on the 13th but arrives after it.
write("thunderbird-out-of-order-1-decline.eml", thunderbird_mail(
    "0a0a0a0a-1111-4222-8333-444455556666@posteo.nl", "Afgewezen: Kennismaking zorg en welzijn",
    thunderbird("DECLINED", "20270114T090000Z"), "Thu, 14 Jan 2027 10:00:00 +0100", "Afgewezen."))
write("thunderbird-out-of-order-2-accept-written-earlier.eml", thunderbird_mail(
    "0b0b0b0b-1111-4222-8333-444455556666@posteo.nl", "Geaccepteerd: Kennismaking zorg en welzijn",
    thunderbird("ACCEPTED", "20270113T090000Z"), "Wed, 13 Jan 2027 10:00:00 +0100", "Geaccepteerd."))

# A colleague forwards Anouk's acceptance to the team as an attachment (message/rfc822).
forwarded_inner = outlook_mail(
    "AM0PR02MB5123F0F0F0F0F0F0@AM0PR02MB5123.eurprd02.prod.outlook.com", '"Jansen, Anouk" <anouk.jansen@example.nl>',
    "Geaccepteerd: Kennismaking zorg en welzijn", exchange_accept, "Ik kom graag.")
write("forwarded-accept.eml", f"""From: Lisa Smit <lisa.smit@gemeente.example.nl>
To: {TEAM}
Subject: FW: Geaccepteerd: Kennismaking zorg en welzijn
Date: Mon, 11 Jan 2027 10:02:00 +0100
Message-ID: <fw-77aa88bb@gemeente.example.nl>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fw-boundary-1"

--fw-boundary-1
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

Ter info =96 Anouk komt.

--fw-boundary-1
Content-Type: message/rfc822
Content-Disposition: attachment; filename="Geaccepteerd.eml"

{forwarded_inner}
--fw-boundary-1--
""")

# Evolution asks for the current invitation (REFRESH); its calendar part is declared ISO-8859-1.
refresh = ("BEGIN:VCALENDAR\r\nPRODID:-//Ximian//NONSGML Evolution Calendar//EN\r\nVERSION:2.0\r\nMETHOD:REFRESH\r\n"
           "BEGIN:VEVENT\r\nUID:" + UID + "\r\nDTSTAMP:20270120T070000Z\r\n"
           "ORGANIZER;CN=Mobiliteitsteam:MAILTO:" + TEAM + "\r\n"
           "ATTENDEE;CN=H\u00e9l\u00e8ne Bos;PARTSTAT=NEEDS-ACTION:MAILTO:helene.bos@example.org\r\n"
           "END:VEVENT\r\nEND:VCALENDAR\r\n")
with open(os.path.join(HERE, "evolution-refresh-latin1.eml"), "wb") as handle:
    handle.write(f"""From: =?ISO-8859-1?Q?H=E9l=E8ne_Bos?= <helene.bos@example.org>
To: {TEAM}
Subject: Refresh: Kennismaking zorg en welzijn
Date: Wed, 20 Jan 2027 08:00:00 +0100
Message-ID: <1737356400.4242.7@helene-laptop>
X-Mailer: Evolution 3.50.2
MIME-Version: 1.0
Content-Type: text/calendar; charset="ISO-8859-1"; method=REFRESH
Content-Transfer-Encoding: 8bit

""".replace("\n", "\r\n").encode("ascii") + refresh.encode("iso-8859-1"))

# A person's question to the team: no calendar part at all (text in windows-1252, a PDF attachment).
write("question-no-calendar.eml", f"""Return-Path: <jeroen.mulder@example.com>
From: "Mulder, Jeroen" <jeroen.mulder@example.com>
To: {TEAM}
Subject: =?windows-1252?Q?Vraag_over_de_cursus_=96_kosten?=
Date: Thu, 14 Jan 2027 11:11:11 +0100
Message-ID: <q-20270114-1111@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="q-boundary"

--q-boundary
Content-Type: text/plain; charset=windows-1252
Content-Transfer-Encoding: quoted-printable

Goedemiddag, kost de cursus iets? Ik zag =80 25 staan. Met vriendelijke groet, Jeroen

--q-boundary
Content-Type: application/pdf; name="cv.pdf"
Content-Disposition: attachment; filename="cv.pdf"
Content-Transfer-Encoding: base64

{b64(b"%PDF-1.4 fixture")}
--q-boundary--
""")

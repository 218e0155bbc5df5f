#!/usr/bin/env python3
"""Reads an e-mail with Python's `email` parser and prints what obuka's tests check, as JSON: the decoded headers,
each part's type and text, and the invitation's METHOD, UID and SEQUENCE as the `icalendar` library reads them.

    read_message.py FILE.eml

`smtp_server.py` saves the same description beside each message it receives.
"""
import email
import email.policy
import json
import sys

import icalendar


def describe(raw):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    calendar = None
    for part in message.walk():
        if part.is_multipart():
            continue
        content = part.get_content()
        text = content if isinstance(content, str) else content.decode("utf-8")
        parts.append({"type": part.get_content_type(), "method": part.get_param("method"),
                      "filename": part.get_filename(), "text": text})
        if part.get_content_type() == "text/calendar":
            cal = icalendar.Calendar.from_ical(text)
            event = next(iter(cal.walk("VEVENT")))
            calendar = {"method": str(cal["METHOD"]), "uid": str(event["UID"]), "sequence": int(event["SEQUENCE"]),
                        "status": str(event.get("STATUS")), "organizer": str(event.get("ORGANIZER")),
                        "attendee": str(event.get("ATTENDEE")), "start": event.decoded("DTSTART").isoformat()}
    return {
        "subject": str(message["Subject"]), "from": str(message["From"]), "to": str(message["To"]),
        "to_name": message["To"].addresses[0].display_name, "to_address": message["To"].addresses[0].addr_spec,
        "message_id": str(message["Message-ID"]), "date": str(message["Date"]), "defects": len(message.defects),
        "parts": parts, "calendar": calendar,
    }


if __name__ == "__main__":
    print(json.dumps(describe(open(sys.argv[1], "rb").read()), ensure_ascii=False))

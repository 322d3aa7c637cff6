"""Describe an event for search engines as schema.org JSON-LD, safe to put inside <script>."""

import json

from .model import EventTime

# The city's name is written the same way in Russian and Kazakh.
LOCALITY = "Алматы"
COUNTRY = "KZ"
# What a <script> element must not contain in its text, and the JSON escapes that mean the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _moment(when: EventTime, end: bool) -> str | None:
    if when.all_day:
        return (when.last_day if end else when.first_day).isoformat()
    moment = when.end if end else when.start
    return moment.isoformat() if moment else None


def event_json_ld(
    *,
    name: str,
    when: EventTime,
    location: str,
    address: str,
    lang: str,
    url: str,
    description: str = "",
    images: list[str] | None = None,
) -> dict:
    """Return a schema.org Event: dates with the Almaty offset of their day, a Place with its address."""
    postal = {"@type": "PostalAddress", "addressLocality": LOCALITY, "addressCountry": COUNTRY}
    if address:
        postal["streetAddress"] = address
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "startDate": _moment(when, end=False),
        "endDate": _moment(when, end=True),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": location, "address": postal},
        "inLanguage": lang,
        "url": url,
    }
    if data["endDate"] is None:
        del data["endDate"]
    if description:
        data["description"] = description
    if images:
        data["image"] = images
    return data


def script_json(data: dict) -> str:
    """Serialize to JSON that cannot close or break the <script> element it sits in."""
    return json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE)

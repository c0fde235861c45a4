"""An iCalendar (RFC 5545) of dated policy milestones, overall and per jurisdiction.

Only day-precise dates become events (all-day events); a date known only to the month or the
year has no day to put in a calendar and is left out. Every value, including ``DTSTAMP``, comes
from the records, so the files are byte-stable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from icalendar import Calendar, Event

from publish import paths
from publish.catalog import Catalog
from publish.feeds import clean
from publish.history import History
from publish.paths import Site
from schemas import Policy
from schemas.dates import PartialDate

#: Typed policy dates and how an event is titled for each.
DATE_LABELS = {
    "announced": "announced",
    "introduced": "introduced",
    "signed": "signed",
    "adopted": "adopted",
    "decided": "decided",
    "published": "published",
    "effective": "takes effect",
    "applies_from": "applies",
    "revoked": "revoked",
}


@dataclass(frozen=True)
class Milestone:
    policy: Policy
    key: str  # unique within the policy
    date: PartialDate
    label: str


def policy_milestones(policy: Policy) -> list[Milestone]:
    """Every dated step of a policy, day-precise or not, in date order."""
    found = [
        Milestone(policy, name, value, f"{policy.title} {label}")
        for name, label in DATE_LABELS.items()
        if (value := getattr(policy.dates, name)) is not None
    ]
    for index, step in enumerate(policy.milestones):
        found.append(
            Milestone(policy, f"milestone-{index + 1}", step.date, f"{policy.title}: {step.title}")
        )
    return sorted(found, key=lambda m: (m.date.key, m.key))


def _event(milestone: Milestone, site: Site, host: str, history: History) -> bytes:
    """One all-day event, serialised once and reused by every calendar it belongs to. With
    the history, ``LAST-MODIFIED`` is the policy's last change and ``SEQUENCE`` counts the
    changes to its dates, so calendar applications take a moved or added date."""
    day = milestone.date.earliest()
    policy = milestone.policy
    page = site.record_url(policy.id)
    event = Event()
    event.add("uid", f"{policy.id}.{milestone.key}@{host}")
    stamp = policy.last_verified or policy.added
    event.add("dtstamp", dt.datetime.combine(stamp.earliest(), dt.time(0), tzinfo=dt.UTC))
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", clean(milestone.label))
    event.add("description", clean(f"{policy.title} ({policy.jurisdiction}). {page}"))
    event.add("url", page)
    event.add("categories", [policy.jurisdiction, policy.instrument])
    event.add("transp", "TRANSPARENT")
    changes = history.of(policy.id)
    if changes:
        last = changes[0].day
        event.add("last-modified", dt.datetime.combine(last, dt.time(0), tzinfo=dt.UTC))
        event.add("sequence", sum(1 for change in changes if "dates" in change.categories))
    return event.to_ical()


def _calendar(name: str, events: list[bytes]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Open Source AI Tracker//Policy milestones//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    head, end = calendar.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(events) + b"END:VCALENDAR" + end


def calendar_files(catalog: Catalog, site: Site) -> dict[str, bytes]:
    """``calendar/all.ics`` and ``calendar/jurisdiction/<code>.ics``."""
    host = site.host or "open-source-ai-tracker"
    milestones = [
        milestone
        for record in catalog.of_kind("policy")
        if isinstance(record, Policy)
        for milestone in policy_milestones(record)
        if milestone.date.day is not None
    ]
    milestones.sort(key=lambda m: (m.date.key, m.policy.id, m.key))
    everything: list[bytes] = []
    by_place: dict[str, list[bytes]] = defaultdict(list)
    for milestone in milestones:
        event = _event(milestone, site, host, catalog.history)
        everything.append(event)
        by_place[milestone.policy.jurisdiction].append(event)
    files = {paths.ALL_CALENDAR: _calendar(f"{site.name}: policy milestones", everything)}
    for code, events in sorted(by_place.items()):
        files[paths.calendar(code.lower())] = _calendar(
            f"{site.name}: {catalog.place_name(code)} policy milestones", events
        )
    return files

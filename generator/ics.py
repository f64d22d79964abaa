"""The program's events as an iCalendar file that people can subscribe to.

Times are written in the program's time zone (DTSTART;TZID=...) with a VTIMEZONE that
defines it, as RFC 5545 asks, so a calendar app in another zone shows the right hour.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from generator import urls
from generator.errors import InternalError
from generator.models import Event, Playbook, Program, add_months
from generator.outputs import Asset, Options
from generator.stories import slugify

if TYPE_CHECKING:
    # Imported where a calendar is made: icalendar costs about 40 ms to import, and a site
    # without events, or a command that makes no calendar, has no use for it.
    import icalendar

FREQUENCIES = {"weekly": ("WEEKLY", 1), "fortnightly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1)}
UID_DOMAIN = "playbook.invalid"
OPEN_ENDED_YEARS = 5


def calendar_files(playbook: Playbook, options: Options) -> list[Asset]:
    """The output: the calendar file, when the program has events."""
    if not playbook.events:
        return []
    return [Asset(urls.CALENDAR, build_calendar(playbook.events, playbook.program, options.today))]


def build_calendar(events: tuple[Event, ...], program: Program, stamp: dt.date) -> bytes:
    """One VEVENT per event, recurring ones with an RRULE, and the VTIMEZONE their TZID names."""
    if not program.time_zone:
        raise InternalError("events without the program's time_zone passed validation")
    import icalendar

    zone = ZoneInfo(program.time_zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Playbook//Reverse mentoring program//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", program.name)
    calendar.add("x-wr-caldesc", program.tagline)
    calendar.add("x-wr-timezone", program.time_zone)
    items = [_event(event, zone, uid_domain(program), stamp) for event in events]
    # UTC times are written with a Z and need no VTIMEZONE; any other zone is named by TZID and defined here.
    for tzid in sorted({str(item["dtstart"].params["TZID"]) for item in items if "TZID" in item["dtstart"].params}):
        calendar.add_component(_time_zone(events, tzid))
    for item in items:
        calendar.add_component(item)
    return calendar.to_ical()


def uid_domain(program: Program) -> str:
    """A host-like label made from the program's name. Unlike the site's address, or a contact the
    external site may leave out, it is the same on both sites and after a move, so subscribers see
    no duplicates; the name keeps two programs' `kick-off` events apart in one calendar app."""
    return f"{slugify(program.name, max_words=12)}.{UID_DOMAIN}"


def _time_zone(events: tuple[Event, ...], name: str) -> icalendar.Timezone:
    """The zone's rules from a day before the first event to a day after the last one ends."""
    first = min(event.start.date() for event in events) - dt.timedelta(days=1)
    last = max(_last_day(event) for event in events) + dt.timedelta(days=1)
    import icalendar

    return icalendar.Timezone.from_tzid(name, first_date=first, last_date=last)


def _end(event: Event) -> dt.datetime:
    return event.start + dt.timedelta(minutes=event.duration_minutes)


def _last_day(event: Event) -> dt.date:
    """An event that repeats without end gets the zone's rules for OPEN_ENDED_YEARS."""
    if event.repeat == "never":
        return _end(event).date()
    return event.repeat_until or add_months(event.start.date(), 12 * OPEN_ENDED_YEARS)


def _event(event: Event, zone: ZoneInfo, domain: str, stamp: dt.date) -> icalendar.Event:
    import icalendar

    item = icalendar.Event()
    item.add("uid", f"{event.id}@{domain}")
    item.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.UTC))
    item.add("summary", event.title)
    item.add("description", event.description)
    item.add("dtstart", event.start.replace(tzinfo=zone))
    item.add("dtend", _end(event).replace(tzinfo=zone))
    if event.location:
        item.add("location", event.location)
    if event.repeat != "never":
        frequency, interval = FREQUENCIES[event.repeat]
        rule: dict[str, object] = {"freq": frequency, "interval": interval}
        if event.repeat_until:
            # RFC 5545 3.3.10: with a TZID on DTSTART, UNTIL must be in UTC.
            last = dt.datetime.combine(event.repeat_until, dt.time(23, 59, 59), tzinfo=zone)
            rule["until"] = last.astimezone(dt.UTC)
        item.add("rrule", rule)
    return item


def occurrences(event: Event, limit: int = 12) -> list[dt.datetime]:
    """The first few dates of an event, for the calendar page."""
    dates = []
    for index in range(limit if event.repeat != "never" else 1):
        moment = _nth(event, index)
        if event.repeat_until and moment.date() > event.repeat_until:
            break
        dates.append(moment)
    return dates


def _nth(event: Event, index: int) -> dt.datetime:
    if event.repeat == "monthly":
        return dt.datetime.combine(add_months(event.start.date(), index), event.start.time())
    return event.start + dt.timedelta(weeks=FREQUENCIES.get(event.repeat, ("", 0))[1] * index)

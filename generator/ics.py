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
    """The output: the whole calendar to subscribe to, and each event's own file to add just that one."""
    if not playbook.events:
        return []
    program, today = playbook.program, options.today
    return [Asset(urls.CALENDAR, build_calendar(playbook.events, program, today)),
            *(Asset(urls.event_calendar(event.id), build_calendar((event,), program, today))
              for event in playbook.events)]


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


def upcoming(events: tuple[Event, ...], today: dt.date, count: int) -> list[tuple[Event, dt.datetime]]:
    """The next `count` dates from today on, soonest first, each with its event; a recurring event
    counts once, at its next date, so one monthly reminder cannot fill the list."""
    found = [(moment, index, event) for index, event in enumerate(events)
             if (moment := next_date(event, today)) is not None]
    return [(event, moment) for moment, _, event in sorted(found, key=lambda item: item[:2])[:count]]


def next_date(event: Event, today: dt.date) -> dt.datetime | None:
    """The event's first date on or after `today`, or None when it is over."""
    if event.repeat == "never":
        return event.start if event.start.date() >= today else None
    last = event.repeat_until or dt.date.max
    index = _first_index_from(event, today)
    while (moment := _nth(event, index)).date() < today:
        index += 1
    return moment if moment.date() <= last else None


def _first_index_from(event: Event, today: dt.date) -> int:
    """A repetition at or just before `today`, found by arithmetic so a long series is not walked."""
    if event.start.date() >= today:
        return 0
    if event.repeat == "monthly":
        return max(0, (today.year - event.start.year) * 12 + today.month - event.start.month - 1)
    weeks = FREQUENCIES[event.repeat][1]
    return max(0, (today - event.start.date()).days // (7 * weeks) - 1)


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

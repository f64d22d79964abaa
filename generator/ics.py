"""The program's events as an iCalendar file that people can subscribe to."""

from __future__ import annotations

import datetime as dt

import icalendar

from generator.models import Event, Program, add_months

FREQUENCIES = {"weekly": ("WEEKLY", 1), "fortnightly": ("WEEKLY", 2), "monthly": ("MONTHLY", 1)}
CALENDAR_PATH = "calendar.ics"


def build_calendar(events: tuple[Event, ...], program: Program, site_host: str, stamp: dt.date) -> bytes:
    """One VEVENT per event, recurring ones with an RRULE; UIDs are stable across builds."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Playbook//Reverse mentoring program//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", program.name)
    calendar.add("x-wr-caldesc", program.tagline)
    for event in events:
        calendar.add_component(_event(event, site_host, stamp))
    return calendar.to_ical()


def _event(event: Event, site_host: str, stamp: dt.date) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"{event.id}@{site_host}")
    item.add("dtstamp", dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc))
    item.add("summary", event.title)
    item.add("description", event.description)
    item.add("dtstart", event.start)
    item.add("dtend", event.start + dt.timedelta(minutes=event.duration_minutes))
    if event.location:
        item.add("location", event.location)
    if event.repeat != "never":
        frequency, interval = FREQUENCIES[event.repeat]
        rule: dict[str, object] = {"freq": frequency, "interval": interval}
        if event.repeat_until:
            rule["until"] = dt.datetime.combine(event.repeat_until, dt.time(23, 59))
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

"""The e-mails: the newsletter digest (posts and rule reviews in a date range) and the welcome
letter for someone new in a role, each as HTML and plain text.

E-mail clients drop <style> blocks and external CSS, so the HTML carries inline styles
only, and every link is absolute because the e-mail is read away from the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jinja2

from generator import urls
from generator.context import Queries
from generator.models import Playbook, Role, Rule, Story
from generator.render import mailto, render_template


@dataclass(frozen=True)
class Digest:
    html: str
    text: str
    posts: tuple[Story, ...]
    rules: tuple[Rule, ...]


def build_digest(playbook: Playbook, environment: jinja2.Environment, *, since: dt.date, until: dt.date,
                 site_url: str, today: dt.date) -> Digest:
    """Published posts dated in [since, until], newest first, and the rules reviewed in that range."""
    posts = tuple(s for s in playbook.stories if s.status == "published" and since <= s.date <= until)
    rules = tuple(sorted((r for r in playbook.rules if since <= r.last_reviewed <= until),
                         key=lambda r: r.last_reviewed, reverse=True))
    base = site_url.rstrip("/") + "/"
    # Names the two digest templates see; `link(record)` is the record's full address on the site.
    context = {"program": playbook.program, "posts": posts, "rules": rules, "since": since, "until": until,
               "today": today, "base": base, "link": lambda record: urls.absolute(base, urls.of(record)),
               "playbook": playbook}
    return Digest(render_template(environment, "digest.html.j2", **context),
                  render_template(environment, "digest.txt.j2", **context), posts, rules)


@dataclass(frozen=True)
class Welcome:
    html: str
    text: str
    role: Role


def build_welcome(playbook: Playbook, environment: jinja2.Environment, *, role: Role, site_url: str,
                  today: dt.date) -> Welcome:
    """The letter for someone joining as `role`: their first weeks' checklist, the next events, the newest
    stories about the role and who to ask."""
    base = site_url.rstrip("/") + "/"
    published = tuple(s for s in playbook.stories if s.status == "published")
    context = {"program": playbook.program, "role": role, "today": today, "base": base, "q":
               Queries(playbook, published, today), "mailto": mailto,
               "link": lambda record: urls.absolute(base, urls.of(record)),
               "address": lambda path: urls.absolute(base, path), "urls": urls}
    return Welcome(render_template(environment, "welcome.html.j2", **context),
                   render_template(environment, "welcome.txt.j2", **context), role)

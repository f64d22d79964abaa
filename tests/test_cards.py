"""Posts look like a hub's: cards with a picture, kind, date, reading time and roles, and a featured post."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest

from generator import urls
from generator.errors import Location
from generator.models import Origin, Playbook, Story
from generator.outputs import Options
from generator.site import Site, build_site
from generator.stories import ALL_POSTS, READING_SPEED, reading_minutes

TODAY = dt.date(2026, 12, 2)
CARD = re.compile(r"^(?:-   |    )(.*)$", re.MULTILINE)


def story(words: int, **more: object) -> Story:
    data = {"title": "A post", "date": "2026-01-05", "summary": "Short.", "body": " ".join(["word"] * words), **more}
    return Story.model_validate(data, context=Origin(Location("stories/x.yml"), "2026-01-05-a-post"))


@pytest.fixture(scope="module")
def site(playbook: Playbook) -> Site:
    return build_site(playbook, Options(today=TODAY))


def page(site: Site, path: str) -> str:
    return next(p.markdown for p in site.pages if p.path == path)


@pytest.mark.parametrize("words, minutes", [(1, 1), (READING_SPEED, 1), (READING_SPEED + 1, 2),
                                            (READING_SPEED * 3, 3)])
def test_reading_time_is_rounded_up_and_at_least_a_minute(words, minutes):
    assert reading_minutes(story(words)) == minutes


def cards(markdown: str) -> list[str]:
    """Each card of a page's card grid, as its Markdown."""
    grid = markdown.split('<div class="grid cards pb-story-cards" markdown>', 1)[1].split("</div>", 1)[0]
    return [card for card in re.split(r"\n(?=-   )", grid.strip()) if card.startswith("-   ")]


def test_each_card_shows_its_picture_kind_date_reading_time_and_roles(site, playbook: Playbook):
    shown = cards(page(site, urls.hub("all")))
    posts = [post for post in playbook.stories if post.status == "published"][:len(shown)]
    assert len(shown) == len(posts) > 5
    assert any(post.image for post in posts), "the first hub page has a post with a picture"
    for card, post in zip(shown, posts, strict=True):
        text = html.unescape(card)
        label = "Success story" if post.kind == "story" else {"update": "Pair update",
                                                              "announcement": "Announcement"}[post.kind]
        assert f'{label} · <time datetime="{post.date.isoformat()}">{post.date.day} {post.date:%B %Y}</time> · ' \
               f"{reading_minutes(post)} min read</small>" in text
        roles = ", ".join(playbook.role(role_id).title for role_id in post.roles)
        assert (f'<small class="pb-card-roles">{roles}</small>' in text) == bool(post.roles)
        if post.image:
            first = card.splitlines()[0]
            assert first == f"-   ![{post.image.alt}](../{post.image.src}){{ .pb-card-image loading=lazy }}"
        assert f"**[{post.title}]({urls.of(post).removeprefix('stories/')})**" in text


def test_the_home_page_features_the_newest_featured_post_and_does_not_repeat_it(site, playbook: Playbook):
    featured = [post for post in playbook.stories if post.featured and post.status == "published"]
    assert featured, "the sample features a post"
    home = page(site, urls.HOME)
    box = home.split('<div class="pb-featured" markdown>', 1)[1].split("</div>", 1)[0]
    assert f"**[{featured[0].title}]({urls.of(featured[0])})**" in box
    assert featured[0].summary in html.unescape(box)
    latest = home.split("## Latest stories", 1)[1]
    assert f"[{featured[0].title}]" not in latest
    assert len(cards(latest)) == 5


def test_without_a_featured_post_the_home_page_has_no_featured_box(playbook: Playbook):
    plain = tuple(post.model_copy(update={"featured": False}) for post in playbook.stories)
    bare = dataclasses.replace(playbook, collections={**playbook.collections, "stories": plain})
    home = page(build_site(bare, Options(today=TODAY)), urls.HOME)
    assert "pb-featured" not in home


def test_the_hub_is_called_the_same_in_the_nav_and_on_its_page(site):
    stories = dict(site.nav)["Stories"]
    assert isinstance(stories, list)
    assert stories[0] == (ALL_POSTS, urls.hub("all"))
    assert page(site, urls.hub("all")).startswith(f"# {ALL_POSTS}\n")


def test_tag_pages_and_story_pages_use_the_vocabularys_label_and_description(site, playbook: Playbook):
    tags = playbook.collections["tags"]
    used = {tag for post in playbook.stories if post.status == "published" for tag in post.tags}
    assert used and used <= {tag.id for tag in tags}
    for tag in tags:
        if tag.id in used:
            hub = page(site, urls.hub("tags", tag.id))
            assert f"# Stories tagged “{tag.label}”\n{tag.description}\n" in hub
    post = next(post for post in playbook.stories if post.status == "published" and post.tags)
    labels = {tag.id: tag.label for tag in tags}
    topics = ", ".join(f"[{labels[tag]}](tags/{tag}.md)" for tag in post.tags)
    assert f"**Topics:** {topics}" in page(site, urls.of(post))

"""Wide tables on a phone and on paper (issue 15): every page of the built sample that has a table.

On a phone the page never scrolls sideways; a table wider than the screen scrolls inside its own box, shows at
that box's edge that it goes on, and gives its text columns room enough to read. On paper nothing is cut off.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

PHONE = {"width": 375, "height": 740}
HEADER = 64  # px: Material's fixed header is 48px high on a phone
# A4 less 1 cm margins (190 mm at 96 px to the inch), and less 2 cm: the widths a printed page offers.
PAPER = (718, 640)

# Each table of the article, with the box that holds it: its nearest ancestor that scrolls sideways.
TABLES = """() => [...document.querySelectorAll('article table')].map((table, index) => {
    let box = table.parentElement;
    while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
    const content = table.closest('.md-content__inner').getBoundingClientRect();
    return {index, width: table.getBoundingClientRect().width, room: content.width,
            box: box && {scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
                         right: box.getBoundingClientRect().right, tabIndex: box.tabIndex,
                         role: box.getAttribute('role'), name: box.getAttribute('aria-label')}};
})"""

# The longest cell of each table that scrolls: how many characters a line of it holds, as a reader sees it wrap.
LONGEST_CELLS = """() => [...document.querySelectorAll('article table')].flatMap(table => {
    const box = table.closest('.md-typeset__scrollwrap');
    if (!box || box.scrollWidth <= box.clientWidth) return [];
    const [cell] = [...table.querySelectorAll('td')].sort((a, b) => b.textContent.length - a.textContent.length);
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = Math.round(range.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight));
    return [{text: cell.textContent.trim(), lines, width: cell.getBoundingClientRect().width}];
})"""

# Anything a table clips on paper: an ancestor that hides what overflows it, or a table past the page's edge.
CLIPPED = """() => [...document.querySelectorAll('article table')].flatMap((table, index) => {
    const found = [], right = table.getBoundingClientRect().right;
    if (right > document.documentElement.clientWidth) found.push(`table ${index} ends at ${Math.round(right)}px`);
    for (let e = table.parentElement; e && e !== document.body; e = e.parentElement)
        if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
            found.push(`table ${index} cut by .${e.className}: ${e.scrollWidth}px in ${e.clientWidth}px`);
    return found;
})"""

# The mean brightness of a PNG, decoded by the page itself (the test needs no imaging library).
BRIGHTNESS = """async (png) => {
    const image = new Image();
    image.src = 'data:image/png;base64,' + png;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.width, image.height];
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const data = context.getImageData(0, 0, image.width, image.height).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3;
    return sum / (data.length / 4);
}"""


def pages_with_tables(site: Path) -> list[str]:
    """The URL path of every built page that has a table."""
    return [("" if page.parent == site else page.parent.relative_to(site).as_posix() + "/")
            for page in sorted(site.rglob("index.html")) if "<table" in page.read_text(encoding="utf-8")]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_the_sample_has_wide_tables_to_check(sample_site):
    paths = pages_with_tables(sample_site)
    assert {"calendar/", "roles/", "rules/", "metrics/", "meetings/first-meeting/"} <= set(paths)


def test_no_page_with_a_table_scrolls_sideways_and_wide_tables_scroll_in_their_box(phone, served_sample,
                                                                                   sample_site):
    """A box that scrolls is also a named stop for the keyboard, so it scrolls without a finger or a mouse."""
    problems, scrolling = [], 0
    for path in pages_with_tables(sample_site):
        phone.goto(served_sample + path)
        page_width = phone.evaluate("document.documentElement.scrollWidth")
        if page_width > PHONE["width"]:
            problems.append(f"{path}: the page is {page_width}px wide")
        for table in phone.evaluate(TABLES):
            if table["width"] <= table["room"]:
                continue
            box = table["box"]
            if not box or box["scrollWidth"] <= box["clientWidth"] or box["right"] > PHONE["width"]:
                problems.append(f"{path}: table {table['index']} is {table['width']:.0f}px in {table['room']:.0f}px "
                                f"and no box on the screen scrolls it ({box})")
            elif box["tabIndex"] != 0 or box["role"] != "region" or not box["name"]:
                problems.append(f"{path}: the box of table {table['index']} is no named keyboard stop ({box})")
            scrolling += 1
    assert problems == []
    assert scrolling >= 5  # the calendar, the roles matrix, the rules, the metrics, the meeting guides


def test_a_table_that_scrolls_gives_its_text_room_to_read(phone, served_sample, sample_site):
    """A table that scrolls anyway is not also squeezed. Material laid each one out at its narrowest, where
    the calendar's "Where" held 9 characters a line over 11 lines, and a meeting guide's "How" 8."""
    squeezed, viewed = [], 0
    for path in pages_with_tables(sample_site):
        phone.goto(served_sample + path)
        for cell in phone.evaluate(LONGEST_CELLS):
            viewed += 1
            if len(cell["text"]) / cell["lines"] < 15 or cell["width"] > PHONE["width"]:
                squeezed.append(f"{path}: {cell['text'][:30]}... in {cell['lines']} lines, {cell['width']:.0f}px")
    assert squeezed == []
    assert viewed >= 5


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_table_that_goes_on_past_the_screen_shows_it_at_that_edge(browser, served_sample, scheme):
    """The calendar's right edge is shaded while more of it is hidden there, and plain once it is scrolled to the
    end. The text is made transparent first, so only the box's own painting is compared."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme=scheme)
    tab = context.new_page()
    tab.goto(served_sample + "calendar/", wait_until="networkidle")
    tab.add_style_tag(content=".md-typeset__scrollwrap * { color: transparent !important; "
                              "border-color: transparent !important; }")
    box = tab.locator("article .md-typeset__scrollwrap").first
    box.scroll_into_view_if_needed()

    def edge(side: str) -> float:
        area = box.bounding_box()
        assert area is not None
        x = area["x"] + area["width"] - 4 if side == "right" else area["x"]
        top = max(area["y"], HEADER)  # the part of the box that the fixed header does not cover
        bottom = min(area["y"] + area["height"], PHONE["height"])
        png = tab.screenshot(clip={"x": x, "y": top, "width": 4, "height": bottom - top})
        return float(tab.evaluate(BRIGHTNESS, base64.b64encode(png).decode()))

    page = float(tab.evaluate(BRIGHTNESS, base64.b64encode(tab.screenshot(
        clip={"x": PHONE["width"] / 2, "y": HEADER, "width": 4, "height": 4})).decode()))
    at_start = edge("right"), edge("left")
    box.evaluate("box => box.scrollLeft = box.scrollWidth")
    at_end = edge("right"), edge("left")
    context.close()
    assert abs(at_start[0] - page) > 8, (at_start, page)  # more to the right: shaded
    assert abs(at_start[1] - page) < 2, (at_start, page)  # nothing to the left yet: plain
    assert abs(at_end[0] - page) < 2, (at_end, page)
    assert abs(at_end[1] - page) > 8, (at_end, page)


@pytest.mark.parametrize("width", PAPER)
def test_printed_tables_are_whole(browser, served_sample, sample_site, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    tab = context.new_page()
    tab.emulate_media(media="print")
    clipped = []
    for path in pages_with_tables(sample_site):
        tab.goto(served_sample + path)
        clipped += [f"{path}: {problem}" for problem in tab.evaluate(CLIPPED)]
    context.close()
    assert clipped == []

"""matplotlib's SVG rebuilt as the small inline SVG a page may hold (generator/charts.py draws it).

Only shapes, text, positions and classes are kept: no ids, clip paths, styles or colours, which the page
sanitizer would refuse and which would ignore the reader's colour scheme. Each sentinel colour the
drawing used becomes a class, which playbook.css colours with Material's variables.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 640, 320  # user units, which are CSS pixels when the chart is shown at 640 px
# Each kind of artist is drawn in one of these colours, and becomes an element of this class; anything
# drawn in another colour (the figure's and axes' backgrounds) is dropped.
CLASSES = {
    "#000001": "chart-series-0",
    "#000002": "chart-series-1",
    "#000003": "chart-goal",
    "#000004": "chart-goal-halo",
    "#000005": "chart-axis",
    "#000006": "chart-grid",
    "#000007": "chart-text",
    "#000008": "chart-note",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FONT_SIZE = re.compile(r"\d+(?:\.\d+)?px")
_NO_ROTATION = re.compile(r"rotate\(-?0 [^)]*\)")
_LONG_NUMBER = re.compile(r"\d+\.\d{3,}")


def plain(text: str) -> str:
    """Text as one line, without the characters XML cannot hold; the sanitizer's HTML parser then
    writes it back exactly as ElementTree does."""
    return " ".join(_NOT_XML.sub("", text).split())


def inline_svg(svg: str, label: str) -> str:
    """matplotlib's SVG rebuilt with only shapes, text, positions and classes, on one line."""
    source = ET.fromstring(svg.encode("utf-8"))
    root = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": source.get("viewBox", f"0 0 {WIDTH} {HEIGHT}"),
                              "class": "playbook-chart", "role": "img", "aria-label": plain(label)})
    root.extend(_shapes(source))
    return ET.tostring(root, encoding="unicode", short_empty_elements=False)


def _shapes(parent: ET.Element) -> Iterator[ET.Element]:
    """The paths and text under `parent`, with groups flattened; definitions, styles and clips are left out."""
    for element in parent:
        tag = str(element.tag).removeprefix(f"{{{SVG_NS}}}")
        if tag == "g":
            inner = list(_shapes(element))
            transform = element.get("transform")
            if transform and inner:
                group = ET.Element("g", {"transform": transform})
                group.extend(inner)
                yield group
            else:
                yield from inner
        elif tag == "path":
            shape = _path(element)
            if shape is not None:
                yield shape
        elif tag == "text":
            shape = _text(element)
            if shape is not None:
                yield shape


def _path(element: ET.Element) -> ET.Element | None:
    style = _style(element.get("style", ""))
    name = CLASSES.get(style.get("fill", "")) or CLASSES.get(style.get("stroke", ""))
    if name is None:
        return None
    attributes = {"d": _short(" ".join(element.get("d", "").split()))}
    if element.get("transform"):
        attributes["transform"] = _short(element.get("transform", ""))
    attributes["class"] = name
    return ET.Element("path", attributes)


def _text(element: ET.Element) -> ET.Element | None:
    style = _style(element.get("style", ""))
    name = CLASSES.get(style.get("fill", ""))
    if name is None:
        return None
    attributes = {key: _short(element.get(key, "")) for key in ("x", "y", "transform") if element.get(key)}
    if _NO_ROTATION.fullmatch(attributes.get("transform", "")):
        del attributes["transform"]
    if style.get("text-anchor"):
        attributes["text-anchor"] = style["text-anchor"]
    size = _FONT_SIZE.search(style.get("font-size", "") or style.get("font", ""))
    if size:
        attributes["font-size"] = size[0]
    attributes["class"] = name
    text = ET.Element("text", attributes)
    text.text = plain("".join(element.itertext()))
    return text


def _short(numbers: str) -> str:
    """Coordinates to a hundredth of a pixel, which no screen shows, instead of matplotlib's millionth."""
    return _LONG_NUMBER.sub(lambda match: f"{float(match[0]):.2f}".rstrip("0").rstrip("."), numbers)


def _style(style: str) -> dict[str, str]:
    """`fill: #000001; stroke-width: 2` as a dict."""
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {key.strip(): value.strip() for key, value in pairs}

"""The site's own colours: a colour code in mkdocs.yml's `theme.palette`, checked for contrast at build time.

Material for MkDocs names its colours (`primary: indigo`); any other colour is `custom`, set through CSS
variables in a stylesheet of one's own. Here a coordinator writes the company's colour code where the name goes
(`primary: "#0b5394"`). The build turns it into `custom` and those variables, derived the way Material derives
its named colours: black or white text on it, whichever reads better, and in the dark scheme links a lighter
shade of it. A colour that people could not read is an error naming the option, the ratio, what is needed and
a shade that would pass, before any page is built. The browser tests measure the result (tests/test_branding.py).
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Colour = tuple[int, int, int]
Palette = Mapping[str, object] | Sequence[Mapping[str, object]] | None

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
AA = 4.5  # WCAG 2.1 AA, text of normal size
# Material 9's page background in each scheme (`--md-default-bg-color`; slate is hsl(225deg 15% 14%)).
PAGE = {"default": WHITE, "slate": (30, 33, 41)}
PAGE_NAME = {"default": "the white page", "slate": "the dark page"}
DARK_TEXT = 0.87  # Material writes black text on light colours at this opacity (#000000de)
TAB_OPACITY = 0.85  # inactive tabs, in generator/assets/playbook.css
NAMES = frozenset({"red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal", "green",
                   "light green", "lime", "yellow", "amber", "orange", "deep orange", "brown", "grey", "blue grey",
                   "black", "white", "custom"})
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


class BrandError(ValueError):
    """mkdocs.yml's colours cannot be used; carries one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The site's colours in mkdocs.yml are hard to read or not understood:\n"
                         + "\n".join(f"  {problem}" for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Brand:
    palette: Palette
    """`theme.palette` as Material reads it: each colour code replaced by `custom`."""

    css: str
    """The CSS variables of those colours, one rule per scheme and role; empty without colour codes."""


def brand_from_palette(palette: Palette) -> Brand:
    """Read the colour codes of `theme.palette`, check them and make their CSS; raise BrandError with every problem."""
    entries = [palette] if isinstance(palette, Mapping) else list(palette or [])
    problems: list[str] = []
    rules: dict[tuple[str, str], str] = {}
    for index, entry in enumerate(entries):
        where = "theme.palette" if isinstance(palette, Mapping) else f"theme.palette[{index}]"
        scheme = str(entry.get("scheme") or "default")
        for role in ("primary", "accent"):
            colour = read_colour(entry, role, f"{where}.{role}", problems)
            if colour is None:
                continue
            if scheme not in PAGE:
                problems.append(f"{where}.{role}: a colour code works with scheme default or slate; scheme "
                                f"{scheme!r} is your own, so set its colours in your own CSS")
                continue
            problems += check(colour, role, scheme, f'{where}.{role} "{str(entry[role]).strip()}"')
            rule = css_rule(colour, role, scheme)
            if rules.setdefault((scheme, role), rule) != rule:
                problems.append(f"{where}.{role}: another palette of scheme {scheme} has a different colour code; "
                                "Material tells palettes apart by scheme only")
    if problems:
        raise BrandError(problems)
    return Brand(customised(palette), "".join(rules.values()))


def read_colour(entry: Mapping[str, object], role: str, where: str, problems: list[str]) -> Colour | None:
    """The colour code of one palette option, or None for a Material colour name (or no value)."""
    if role not in entry:
        return None
    value = entry[role]
    if value is None:  # `primary: #0b5394` without quotes: YAML reads the rest of the line as a comment
        problems.append(f'{where} is empty; write a colour code in quotes, as in {role}: "#0b5394"')
    elif is_code(value):
        return parse_colour(str(value).strip())
    elif not isinstance(value, str) or value.strip().lower().replace("-", " ") not in NAMES:
        problems.append(f"{where}: {value!r} is neither a colour code such as \"#0b5394\" nor one of Material's "
                        "colour names (indigo, blue, teal, ...)")
    return None


def check(colour: Colour, role: str, scheme: str, where: str) -> list[str]:
    """What people could not read with this colour in this role and scheme, one line each, with the nearest
    shade that passes every check of the role."""
    failures = shortfalls(colour, role, scheme)
    if not failures:
        return []
    shade = nearest(colour, lambda candidate: not shortfalls(candidate, role, scheme))
    darker = luminance(shade) < luminance(colour)
    advice = f'A {"darker" if darker else "lighter"} shade such as "{hex_code(shade)}" passes'
    return [f'{where}: {what} reach only {ratio:.2f}:1; WCAG AA needs {AA}:1. {advice}'
            for what, ratio in failures]


def shortfalls(colour: Colour, role: str, scheme: str) -> list[tuple[str, float]]:
    """Each text this colour makes, as (what, contrast), that is below AA."""
    page = PAGE[scheme]
    if role == "primary":
        text, alpha = text_on(colour)
        found = [("the header's tabs on it", contrast(blend(text, alpha * TAB_OPACITY, colour), colour))]
        if scheme == "default":  # in slate, links get a lighter shade of the primary (css_rule)
            found.append((f"links on {PAGE_NAME[scheme]}", contrast(colour, page)))
    else:  # the accent colours links under the pointer, and is the background of buttons under it
        text, alpha = text_on(colour)
        found = [(f"links under the pointer on {PAGE_NAME[scheme]}", contrast(colour, page)),
                 ("buttons' text under the pointer", contrast(blend(text, alpha, colour), colour))]
    return [(what, ratio) for what, ratio in found if ratio < AA]


def css_rule(colour: Colour, role: str, scheme: str) -> str:
    """Material's variables for one colour: the colour, its text, and in the primary's case the links."""
    text, alpha = text_on(colour)
    on, on_light = (("#fff", "#ffffffb3") if text == WHITE else ("#000000de", "#0000008a"))
    code = hex_code(colour)
    if role == "primary":
        link = colour if contrast(colour, PAGE[scheme]) >= AA else passing(colour, PAGE[scheme])
        # Material puts the header's text on --dark too (the repository box in the phone menu), so --dark is
        # the colour moved away from that text, not always toward black.
        away = BLACK if text == WHITE else WHITE
        values = {"fg-color": code, "fg-color--light": hex_code(mix(colour, WHITE, 0.2)),
                  "fg-color--dark": hex_code(mix(colour, away, 0.15)), "bg-color": on, "bg-color--light": on_light}
        extra = f"  --md-typeset-a-color: {hex_code(link)};\n"
    else:
        values = {"fg-color": code, "fg-color--transparent": f"{code}1a", "bg-color": on, "bg-color--light": on_light}
        extra = ""
    lines = "".join(f"  --md-{role}-{name}: {value};\n" for name, value in values.items())
    return f'\n[data-md-color-scheme="{scheme}"][data-md-color-{role}="custom"] {{\n{lines}{extra}}}\n'


def customised(palette: Palette) -> Palette:
    """The palette with each colour code replaced by `custom`, the name Material gives colours set in CSS."""
    def entry(options: Mapping[str, object]) -> dict[str, object]:
        return {key: "custom" if key in ("primary", "accent") and is_code(value) else value
                for key, value in options.items()}
    if palette is None:
        return None
    return entry(palette) if isinstance(palette, Mapping) else [entry(options) for options in palette]


def is_code(value: object) -> bool:
    return isinstance(value, str) and HEX.fullmatch(value.strip()) is not None


def parse_colour(code: str) -> Colour:
    digits = code.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_code(colour: Colour) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in colour)


def luminance(colour: Colour) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: Colour, other: Colour) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def blend(top: Colour, alpha: float, bottom: Colour) -> Colour:
    """`top` at opacity `alpha` painted over `bottom`, as the browser composites text."""
    red, green, blue = (round(t * alpha + b * (1 - alpha)) for t, b in zip(top, bottom))
    return red, green, blue


def mix(colour: Colour, toward: Colour, amount: float) -> Colour:
    return blend(toward, amount, colour)


def text_on(colour: Colour) -> tuple[Colour, float]:
    """Material's white or black text, whichever reads better on `colour`, with the opacity it is drawn at."""
    dark = contrast(blend(BLACK, DARK_TEXT, colour), colour)
    return (WHITE, 1.0) if contrast(WHITE, colour) >= dark else (BLACK, DARK_TEXT)


def passing(colour: Colour, against: Colour) -> Colour:
    """The shade of `colour` nearest to it that reaches AA on `against`."""
    return nearest(colour, lambda shade: contrast(shade, against) >= AA)


def nearest(colour: Colour, good: Callable[[Colour], bool]) -> Colour:
    """The good shade of `colour` (same hue and saturation) nearest in lightness, in steps of 1%, darker first;
    mixing with black instead would turn a yellow into olive."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*(channel / 255 for channel in colour))
    for step in range(101):
        for level in (lightness - step / 100, lightness + step / 100):
            if 0 <= level <= 1:
                red, green, blue = (round(value * 255) for value in colorsys.hls_to_rgb(hue, level, saturation))
                if good((red, green, blue)):
                    return red, green, blue
    return BLACK

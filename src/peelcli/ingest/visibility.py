"""What a reader of an HTML letter sees: the elements and text a browser would not show them, to be
dropped unread, or the reason peel cannot be sure.

A sentence hidden from the page's readers must never be read as the letter's: ``display:\tnone``,
a class hidden by a ``<style>`` rule, ``visibility: hidden``, a closed ``<dialog>`` or
``<details>``, ``<noembed>``, text of no size, no opacity or the background's colour, text moved
off the screen or clipped away. The page is parsed as browsers parse it (html5lib), its own
stylesheets are read with a CSS parser (tinycss2) and applied with the cascade (origin,
``!important``, specificity, order) and inheritance, and each text is judged by what it would
look like.

Where a style could hide text and peel cannot work out whether it does (a property it does not
know, ``calc()``, a rule for ``:hover`` or a screen size, a position that may cover other text,
text added by CSS ``content``, a stylesheet it cannot read), :class:`UnsureError` says why, and the
letter is refused. ``aria-hidden`` hides from screen readers, not from the eye: that text is read.

Stylesheets the page links are not read. Those on the letter's own https site (the publisher's)
are taken to show the letter as published, with the elements whose class says they are hidden
(``screen-reader-text``, ``visually-hidden``, ``hidden``) dropped; any other is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

NEVER_SHOWN = frozenset(
    {"head", "title", "meta", "link", "script", "style", "template", "noembed", "noframes", "datalist", "rp", "param"}
)
"""Elements a browser never draws on the page, whatever the styles say."""
HIDDEN_CLASS = re.compile(
    r"(?:^|[-_])(?:hidden|hide|invisible|sr-only|screen-reader(?:-text)?|visually-hidden|visuallyhidden|offscreen|"
    r"off-screen|d-none|assistive-text|screenreader)(?:$|[-_])",
    re.IGNORECASE,
)
"""Class names a publisher's stylesheet uses to hide an element (read only when that stylesheet
cannot be): the common ones of WordPress, Bootstrap, GOV.UK and their like."""

TINY_FONT = 5.0
"""Pixels: text smaller than this is no text a reader sees."""
SMALL_FONT = 8.0
"""Pixels: text smaller than this may be unreadable: peel is not sure."""
FAINT = 1.2
"""Contrast ratio (WCAG, 1 to 21) below which text is invisible against its background."""
PALE = 2.0
"""Contrast ratio below which a reader may not see the text: peel is not sure."""
MAX_CSS = 1_000_000
"""Characters of CSS in a page's own <style> elements: a letter page's are a few tens of thousands."""
MAX_RULES = 5_000
"""Style rules weighed: each is matched against the whole page."""
MAX_CONDITIONS = 64
"""Conditional rule groups (@media, @supports) that apply to the page: each is weighed with a walk
of the whole page, so past this many the page is refused rather than weighed for minutes."""
OFF_SCREEN = 2000.0
"""Pixels: an element moved this far (or more) is off the screen."""
SHIFTED = 50.0
"""Pixels: a negative offset or margin past this moves text over other text, or away."""


def _names_in_order(text: str) -> list[str]:
    return text.split()


def _names(text: str) -> frozenset[str]:
    """A set of CSS names written as words."""
    return frozenset(text.split())


class UnsureError(Exception):
    """peel cannot be sure what a reader of the page sees; ``str()`` says why."""


# -- values ---------------------------------------------------------------------------------------


class Colour(NamedTuple):
    r: float
    g: float
    b: float
    a: float = 1.0


BLACK, WHITE, CLEAR = Colour(0, 0, 0), Colour(255, 255, 255), Colour(0, 0, 0, 0.0)

_NAMED = _names_in_order(
    "aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc bisque ffe4c4 "
    "black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 cadetblue "
    "5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50 cornflowerblue 6495ed cornsilk fff8dc crimson dc143c "
    "cyan 00ffff darkblue 00008b darkcyan 008b8b darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey "
    "a9a9a9 darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred "
    "8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f darkslategrey 2f4f4f "
    "darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgray 696969 dimgrey 696969 "
    "dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc "
    "ghostwhite f8f8ff gold ffd700 goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080 "
    "honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa "
    "lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080 lightcyan e0ffff "
    "lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3 lightpink ffb6c1 lightsalmon "
    "ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategray 778899 lightslategrey 778899 lightsteelblue "
    "b0c4de lightyellow ffffe0 lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 "
    "mediumaquamarine 66cdaa mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 "
    "mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585 midnightblue "
    "191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead navy 000080 oldlace fdf5e6 olive "
    "808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 "
    "paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum "
    "dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1 "
    "saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d silver "
    "c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa springgreen 00ff7f "
    "steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat "
    "f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00 yellowgreen 9acd32"
)
NAMED_COLOURS = {_NAMED[i]: _NAMED[i + 1] for i in range(0, len(_NAMED), 2)}


def _tokens(value) -> list:
    return [t for t in value if t.type not in ("whitespace", "comment")]


def _dynamic(tokens) -> str | None:
    """The name of a function whose value depends on what peel cannot see (var(), calc(), ...)."""
    for token in tokens:
        if token.type == "function":
            if token.lower_name in ("var", "env", "attr", "calc", "min", "max", "clamp", "expression"):
                return token.lower_name + "()"
            inner = _dynamic(token.arguments)
            if inner:
                return inner
    return None


def _hex(text: str) -> Colour | None:
    if len(text) in (3, 4):
        text = "".join(c * 2 for c in text)
    if len(text) not in (6, 8) or not re.fullmatch(r"[0-9a-fA-F]+", text):
        return None
    parts = [int(text[i : i + 2], 16) for i in range(0, len(text), 2)]
    return Colour(*parts[:3], parts[3] / 255 if len(parts) == 4 else 1.0)


def _channel(token, scale: float) -> float | None:
    if token.type == "number":
        return float(token.value)
    if token.type == "percentage":
        return float(token.value) * scale / 100
    return None


def parse_colour(tokens, current: Colour) -> Colour | None:
    """A colour value, or ``None`` when peel cannot tell its colour."""
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "ident":
        name = token.lower_value
        if name == "transparent":
            return CLEAR
        if name == "currentcolor":
            return current
        found = NAMED_COLOURS.get(name)
        return _hex(found) if found else None
    if token.type == "hash":
        return _hex(token.value)
    if token.type == "function" and token.lower_name in ("rgb", "rgba", "hsl", "hsla"):
        args = [t for t in _tokens(token.arguments) if not (t.type == "literal" and t.value in (",", "/"))]
        if len(args) not in (3, 4):
            return None
        alpha = _channel(args[3], 1.0) if len(args) == 4 else 1.0
        if alpha is None:
            return None
        if token.lower_name.startswith("rgb"):
            rgb = [_channel(t, 255) for t in args[:3]]
            if None in rgb:
                return None
            return Colour(*(min(255.0, max(0.0, c)) for c in rgb), min(1.0, max(0.0, alpha)))
        hue = args[0].value if args[0].type in ("number", "dimension") else None
        sat, light = _channel(args[1], 1.0), _channel(args[2], 1.0)
        if hue is None or sat is None or light is None:
            return None
        import colorsys

        r, g, b = colorsys.hls_to_rgb(
            (float(hue) % 360) / 360, light / 100 if light > 1 else light, sat / 100 if sat > 1 else sat
        )
        return Colour(r * 255, g * 255, b * 255, min(1.0, max(0.0, alpha)))
    return None


def _over(top: Colour, below: Colour) -> Colour:
    """``top`` painted over an opaque ``below``."""
    a = top.a
    return Colour(*(t * a + b * (1 - a) for t, b in zip(top[:3], below[:3], strict=True)), 1.0)


def _luminance(colour: Colour) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: Colour, background: Colour) -> float:
    """WCAG contrast ratio of (opaque) text on an opaque background: 1 (none) to 21."""
    high, low = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_UNITS = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6}
_VIEWPORT = {"vw": 12.8, "vh": 8.0, "vmin": 8.0, "vmax": 12.8, "svw": 12.8, "lvw": 12.8, "dvw": 12.8}


def length_px(token, font_px: float, *, percent_of: float | None = None) -> float | None:
    """A length in CSS pixels, or ``None`` when peel cannot tell it."""
    if token.type == "number" and token.value == 0:
        return 0.0
    if token.type == "percentage":
        return None if percent_of is None else float(token.value) * percent_of / 100
    if token.type != "dimension":
        return None
    unit, value = token.lower_unit, float(token.value)
    if unit in _UNITS:
        return value * _UNITS[unit]
    if unit in ("em",):
        return value * font_px
    if unit in ("rem",):
        return value * 16.0
    if unit in ("ex", "ch", "cap", "ic"):
        return value * font_px * 0.5
    if unit in _VIEWPORT:
        return value * _VIEWPORT[unit]
    return None


_FONT_KEYWORDS = {
    "xx-small": 9.0,
    "x-small": 10.0,
    "small": 13.0,
    "medium": 16.0,
    "large": 18.0,
    "x-large": 24.0,
    "xx-large": 32.0,
    "xxx-large": 48.0,
}


# -- the cascade ----------------------------------------------------------------------------------


class Declared(NamedTuple):
    name: str
    tokens: list
    important: bool
    origin: int  # 0: the browser's own rules, 1: the page's stylesheets, 2: a style attribute
    specificity: tuple[int, int, int]
    order: int
    group: int | None  # a conditional rule's group (@media, :hover): None when unconditional

    def key(self) -> tuple:
        return (self.important, self.origin, self.specificity, self.order)


@dataclass
class _Rule:
    selector: str
    specificity: tuple[int, int, int]
    declarations: list
    group: int | None
    where: str  # for messages: the rule as written, shortened
    order: int


_STATE = re.compile(
    r":(?:hover|focus|focus-within|focus-visible|active|target|target-within|visited|checked|popover-open|"
    r"fullscreen|modal|open|user-invalid|user-valid|placeholder-shown|autofill|playing|paused)\b",
    re.IGNORECASE,
)
_PSEUDO_ELEMENT = re.compile(
    r"::?(?:before|after|first-line|first-letter|marker|placeholder|selection|backdrop|file-selector-button|"
    r"cue|part|slotted|highlight|spelling-error|grammar-error|target-text|details-content|[a-z-]+(?=\())|::[a-z-]+",
    re.IGNORECASE,
)


def specificity(selector: str) -> tuple[int, int, int]:
    """(ids, classes/attributes/pseudo-classes, types) of one complex selector; ``:where()``
    counts nothing and ``:is()``, ``:not()``, ``:has()`` count their arguments."""
    text = re.sub(r":where\((?:[^()]|\([^()]*\))*\)", "", selector, flags=re.IGNORECASE)
    text = re.sub(r":(?:is|not|has|matches)\(", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\[[^\]]*\]", " .attr ", text)
    text = re.sub(r"\([^()]*\)", "", text)
    ids = len(re.findall(r"#[\w-]+", text))
    classes = len(re.findall(r"\.[\w-]+", text)) + len(re.findall(r"(?<!:):[\w-]+", text))
    types = len(re.findall(r"(?:^|[\s>+~(,])([A-Za-z][\w-]*)", text))
    return ids, classes, types


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


# -- properties -----------------------------------------------------------------------------------

SAFE = _names(
    """
    font-weight font-style font-variant font-variant-caps font-variant-ligatures font-variant-numeric
    font-variant-east-asian font-variant-position font-stretch font-feature-settings font-kerning font-optical-sizing
    font-variation-settings font-synthesis font-size-adjust text-decoration text-decoration-line
    text-decoration-color text-decoration-style text-decoration-thickness text-underline-offset
    text-underline-position text-align text-align-last text-justify text-transform text-shadow text-rendering
    text-wrap text-overflow hyphens word-break overflow-wrap word-wrap tab-size orphans widows
    list-style-position list-style-image padding padding-top padding-right padding-bottom padding-left
    padding-inline padding-block padding-inline-start padding-inline-end padding-block-start padding-block-end
    border border-top border-right border-bottom border-left border-width border-style border-color border-radius
    border-top-width border-right-width border-bottom-width border-left-width border-top-style border-right-style
    border-bottom-style border-left-style border-top-color border-right-color border-bottom-color border-left-color
    border-top-left-radius border-top-right-radius border-bottom-left-radius border-bottom-right-radius
    border-collapse border-spacing border-inline border-block border-image outline outline-width outline-style
    outline-color outline-offset box-shadow box-sizing cursor pointer-events user-select -webkit-user-select
    caret-color accent-color appearance -webkit-appearance resize float clear vertical-align table-layout
    caption-side empty-cells page-break-before page-break-after page-break-inside break-before break-after
    break-inside transition transition-property transition-duration transition-timing-function transition-delay
    will-change isolation contain perspective perspective-origin transform-origin transform-style
    backface-visibility scroll-behavior scroll-margin scroll-padding scroll-snap-type scroll-snap-align
    overscroll-behavior touch-action counter-reset counter-increment counter-set min-width min-height
    min-inline-size min-block-size text-size-adjust -webkit-text-size-adjust -moz-text-size-adjust
    -webkit-font-smoothing -moz-osx-font-smoothing -webkit-tap-highlight-color print-color-adjust
    color-scheme forced-color-adjust object-fit object-position image-rendering aspect-ratio gap row-gap column-gap
    column-count column-width columns column-rule column-fill column-span align-items align-content align-self
    justify-content justify-items justify-self place-items place-content place-self flex flex-grow flex-shrink
    flex-basis flex-wrap text-emphasis -webkit-text-stroke -webkit-text-stroke-width -webkit-text-stroke-color
    paint-order content-visibility-auto quotes-none font-display unicode-range src size marks
    """
)
"""Properties whose values never hide text: they are not looked at."""
_DISPLAY = _names(
    """
    block inline inline-block flex inline-flex grid inline-grid flow-root list-item table table-row table-cell
    table-row-group table-header-group table-footer-group table-column table-column-group table-caption
    inline-table contents run-in ruby ruby-text ruby-base flow initial inherit unset
    """
)
_OVERFLOW_CLIPS = frozenset({"hidden", "clip"})
_NOTHING_SHOWN = _names(
    """
    charset namespace page keyframes -webkit-keyframes property counter-style font-feature-values
    font-palette-values view-transition
    """
)
"""At-rules that neither show nor hide anything by themselves."""


@dataclass
class _State:
    """What an element passes to its children (inherited values), and what it is under."""

    visible: bool = True  # visibility
    font_px: float = 16.0
    color: Colour = BLACK
    fill: Colour | None = None  # -webkit-text-fill-color
    background: Colour = WHITE  # the opaque colour behind the text
    alpha: float = 1.0  # the product of the ancestors' opacity
    indent_hidden: bool = False  # text-indent far off the screen
    group: frozenset = field(default_factory=frozenset)
    custom: dict = field(default_factory=dict)  # custom properties (--name) in force, for var()


class _Page:
    def __init__(self, soup, *, own_site: str | None, unread: frozenset[str]):
        self.soup = soup
        self.own_site = own_site
        self.unread = unread | NEVER_SHOWN
        self.rules: list[_Rule] = []
        self.groups: list[str] = []  # what each conditional group is, for messages
        self.trusted_external = False
        self.in_quirks = False
        self.css_size = 0
        self.order = 0
        self._text_memo: dict[int, bool] = {}

    # -- reading the stylesheets ---------------------------------------------------------------

    def quirks(self) -> None:
        """A page without ``<!DOCTYPE html>`` is shown in quirks mode, where class and id
        selectors match regardless of case: both sides are put in lower case to match as it does."""
        from bs4 import Doctype

        doctype = next((str(c) for c in self.soup.contents if isinstance(c, Doctype)), None)
        if doctype is not None and doctype.strip().lower() == "html":
            return
        self.in_quirks = True
        for element in self.soup.find_all(True):
            if element.has_attr("class"):
                element["class"] = [str(c).lower() for c in element.get("class") or []]
            if element.has_attr("id"):
                element["id"] = str(element["id"]).lower()

    def read_styles(self) -> None:
        """The page's own stylesheets (<style>, each as its media attribute says), and the
        stylesheets it links, which are refused unless they are the letter's own site's."""
        for link in self.soup.find_all("link"):
            rel = {str(r).lower() for r in link.get("rel") or []}
            if "stylesheet" in rel and not self._inert(link):
                self.external(str(link.get("href") or ""), "a stylesheet it links")
        for style in self.soup.find_all("style"):
            if self._inert(style):
                continue
            media = str(style.get("media") or "").strip().lower()
            if media in ("print", "speech"):
                continue
            group = None if media in ("", "all", "screen") else self._group(f"<style media={media!r}>")
            css = "".join(str(s) for s in style.children if isinstance(s, str))
            self.css_size += len(css)
            if self.css_size > MAX_CSS:
                raise UnsureError(f"it holds more than {MAX_CSS // 1_000_000} MB of CSS, more than peel weighs")
            self.stylesheet(css, group)

    def _inert(self, element) -> bool:
        """Inside a <template> (never applied)."""
        return any(parent.name == "template" for parent in element.parents)

    def _group(self, what: str) -> int:
        self.groups.append(what)
        return len(self.groups) - 1

    def external(self, href: str, what: str) -> None:
        from urllib.parse import urljoin, urlsplit

        address = urljoin(self.own_site, href.strip()) if self.own_site else href.strip()
        same = (
            self.own_site is not None
            and bool(href.strip())
            and address.lower().startswith("https://")
            and urlsplit(address).hostname == urlsplit(self.own_site).hostname
        )
        if not same:
            shown = address if len(address) <= 120 else address[:119] + "…"
            where = "" if self.own_site else " and the letter gives no address of its own to tell whose it is"
            raise UnsureError(
                f"{what} ({shown!r}) is not the letter's own site's{where}: peel cannot read it, and it could hide "
                "text; save the page as text, or give the letter's address with --url"
            )
        self.trusted_external = True

    def stylesheet(self, css: str, group: int | None) -> None:
        import tinycss2

        self.rule_list(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), group)

    def rule_list(self, rules, group: int | None) -> None:
        import tinycss2

        for rule in rules:
            if rule.type == "qualified-rule":
                self.qualified(rule, group)
            elif rule.type == "at-rule":
                keyword = rule.lower_at_keyword
                prelude = tinycss2.serialize(rule.prelude).strip()
                if keyword == "media":
                    media = prelude.lower()
                    if media in ("print", "speech", "only print"):
                        continue
                    inner = group if media in ("screen", "all", "only screen") else self._group(f"@media {prelude}")
                    self.rule_list(tinycss2.parse_rule_list(rule.content or [], True, True), inner)
                elif keyword in ("supports", "container", "layer", "scope", "document", "starting-style"):
                    if rule.content is None:
                        continue  # "@layer a, b;": an order, no rules
                    inner = self._group(f"@{keyword} {prelude}".strip())
                    self.rule_list(tinycss2.parse_rule_list(rule.content, True, True), inner)
                elif keyword == "import":
                    self.external(_address_in(rule.prelude), "a stylesheet it imports")
                elif keyword == "font-face":
                    self.font_face(rule)
                elif keyword in _NOTHING_SHOWN:
                    continue
                else:
                    raise UnsureError(
                        f"its stylesheet has an @{keyword} rule peel does not read, which could hide text"
                    )

    def font_face(self, rule) -> None:
        import tinycss2

        for declaration in tinycss2.parse_declaration_list(rule.content or [], True, True):
            if declaration.type == "declaration" and declaration.lower_name == "src":
                for token in declaration.value:
                    if token.type == "url" or (token.type == "function" and token.lower_name in ("url", "src")):
                        self.external(_address_in([token]), "a font it loads (a font can draw text blank)")

    def qualified(self, rule, group: int | None) -> None:
        import tinycss2

        prelude = tinycss2.serialize(rule.prelude).strip()
        declarations = []
        for item in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "error":
                raise UnsureError(
                    f"its stylesheet has a rule peel cannot read ({_short(prelude)} {{ … }}: nested rules?), "
                    "which could hide text"
                )
            declarations.append(item)
        if all(d.lower_name in SAFE for d in declarations):
            return  # nothing in it can hide text: no need to find what it applies to
        for selector in _split_selectors(prelude):
            rule_group = group
            if _PSEUDO_ELEMENT.search(selector):
                self.pseudo_element(selector, declarations)
                continue
            if _STATE.search(selector):
                continue  # a reader sees the page before hovering, focusing or clicking anything
            if self.in_quirks:
                selector = re.sub(r"([.#])([\w-]+)", lambda m: m.group(1) + m.group(2).lower(), selector)
            self.order += 1
            if len(self.rules) >= MAX_RULES:
                raise UnsureError(f"its stylesheets hold more than {MAX_RULES:,} rules, more than peel weighs")
            self.rules.append(
                _Rule(selector, specificity(selector), declarations, rule_group, _short(selector), self.order)
            )

    def pseudo_element(self, selector: str, declarations) -> None:
        """Rules for ``::before``, ``::first-line`` and the like: peel cannot place what they
        draw, so any that adds text or could hide it is a refusal."""
        import tinycss2

        for declaration in declarations:
            name = declaration.lower_name
            tokens = _tokens(declaration.value)
            value = tinycss2.serialize(tokens).strip().lower()
            if name == "content" and value not in ("none", "normal", "''", '""'):
                raise UnsureError(f"a rule for {_short(selector)} adds text with CSS content ({_short(value)})")
            if name not in SAFE and not name.startswith("--") and name not in ("content", "color", "display"):
                raise UnsureError(f"a rule for {_short(selector)} sets {name}, which peel cannot place")

    # -- matching ------------------------------------------------------------------------------

    def matched(self) -> dict[int, list[Declared]]:
        """Element id to the declarations that apply to it (stylesheets, style attributes, and
        the browser's own rules for hidden and closed elements)."""
        import tinycss2
        from bs4 import Tag

        found: dict[int, list[Declared]] = {}
        for rule in self.rules:
            try:
                elements = self.soup.select(rule.selector)
            except Exception as exc:  # soupsieve: a selector it cannot evaluate
                if all(d.lower_name in SAFE or d.lower_name.startswith("--") for d in rule.declarations):
                    continue
                raise UnsureError(
                    f"its stylesheet has a rule for {rule.where} that peel cannot evaluate "
                    f"({type(exc).__name__}), which could hide text"
                ) from None
            for element in elements:
                for index, d in enumerate(rule.declarations):  # a later one in a rule wins over an earlier
                    order = rule.order * 10_000 + index
                    found.setdefault(id(element), []).append(
                        Declared(d.lower_name, _tokens(d.value), d.important, 1, rule.specificity, order, rule.group)
                    )
        order = 10**12
        for element in self.soup.find_all(True):
            if not isinstance(element, Tag):
                continue
            ua = None
            if element.has_attr("hidden"):
                ua = "hidden attribute"
            elif element.name == "dialog" and not element.has_attr("open"):
                ua = "closed dialog"
            if ua:
                found.setdefault(id(element), []).append(
                    Declared("display", [_ident("none")], False, 0, (0, 0, 0), 0, None)
                )
            style = element.get("style")
            if style:
                for d in tinycss2.parse_declaration_list(str(style), skip_comments=True, skip_whitespace=True):
                    if d.type == "declaration":
                        order += 1
                        found.setdefault(id(element), []).append(
                            Declared(d.lower_name, _tokens(d.value), d.important, 2, (0, 0, 0), order, None)
                        )
        return found

    # -- what is seen --------------------------------------------------------------------------

    def has_text(self, element) -> bool:
        from bs4 import NavigableString, Tag

        key = id(element)
        if key not in self._text_memo:
            seen = False
            for child in element.children:
                if isinstance(child, Tag):
                    if child.name not in self.unread and self.has_text(child):
                        seen = True
                        break
                elif type(child) is NavigableString and child.strip():
                    seen = True
                    break
            self._text_memo[key] = seen
        return self._text_memo[key]

    def run(self) -> list:
        self.structure()
        self.quirks()
        self.read_styles()
        declared = self.matched()
        root = self.soup.find("html") or self.soup
        used = sorted({d.group for found in declared.values() for d in found if d.group is not None})
        if len(used) > MAX_CONDITIONS:
            raise UnsureError(
                f"{len(used)} rules for screen sizes or features apply to it; peel weighs at most {MAX_CONDITIONS}"
            )
        passes = [frozenset()] + [frozenset({g}) for g in used]
        if len(used) > 1:
            passes.append(frozenset(used))
        outcome = None
        for active in passes:
            hidden: list = []
            self.walk(root, _State(group=active), declared, hidden)
            ids = {id(x) for x in hidden}
            if outcome is None:
                outcome, base = hidden, ids
            elif ids != base:
                what = ", ".join(self.groups[g] for g in sorted(active))
                raise UnsureError(
                    f"what it shows depends on {what}, which applies only on some screens or with some features"
                )
        return outcome or []

    def structure(self) -> None:
        """What no style can settle: text shown only with scripts off, shadow roots, redirects."""
        for noscript in self.soup.find_all("noscript"):
            if noscript.find(["style", "link"]) or any(s.strip() for s in noscript.find_all(string=True)):
                raise UnsureError(
                    "it holds text or styles in <noscript>, which only readers with scripts turned off see"
                )
        for template in self.soup.find_all("template"):
            if template.has_attr("shadowrootmode") or template.has_attr("shadowroot"):
                raise UnsureError("it holds a shadow root (<template shadowrootmode>), which replaces what readers see")
        for meta in self.soup.find_all("meta"):
            if str(meta.get("http-equiv") or "").lower() == "refresh":
                raise UnsureError("it sends its reader on to another page (<meta http-equiv=refresh>)")
        if self.soup.find(["frameset", "frame"]):
            raise UnsureError("it is a page of frames, which show other documents")

    def walk(self, element, state: _State, declared, hidden: list) -> None:
        from bs4 import NavigableString, Tag

        if element.name in self.unread:
            return
        values = _winners(declared.get(id(element), []), state.group)
        if self.trusted_external and any(HIDDEN_CLASS.search(str(c)) for c in element.get("class") or []):
            hidden.append(element)
            return
        child_state, hides = self.apply(element, values, state)
        if hides:
            hidden.append(element)
            return
        summary_seen = False
        closed_details = element.name == "details" and not element.has_attr("open")
        for child in list(element.children):
            if isinstance(child, Tag):
                if closed_details:
                    if child.name == "summary" and not summary_seen:
                        summary_seen = True
                    else:
                        hidden.append(child)
                        continue
                self.walk(child, child_state, declared, hidden)
            elif (
                type(child) is NavigableString
                and child.strip()
                and (closed_details or not self.text_seen(element, child_state))
            ):
                hidden.append(child)

    def text_seen(self, element, state: _State) -> bool:
        """Whether text drawn with ``state`` is seen; raises :class:`UnsureError` when it may not be."""
        if not state.visible or state.indent_hidden or state.font_px < TINY_FONT or state.alpha <= 0.02:
            return False
        if state.font_px < SMALL_FONT:
            raise UnsureError(
                f"text in {_named(element)} is {state.font_px:.3g}px high: peel cannot be sure it is read"
            )
        ink = state.fill or state.color
        ratio = contrast(_over(Colour(*ink[:3], ink.a * state.alpha), state.background), state.background)
        if ratio < FAINT:
            return False
        if ratio < PALE:
            raise UnsureError(
                f"text in {_named(element)} has a contrast of {ratio:.2f} with its background: "
                "peel cannot be sure a reader sees it"
            )
        return True

    def apply(self, element, values: dict[str, Declared], state: _State) -> tuple[_State, bool]:
        """The state an element passes on, and whether it hides all it holds."""
        text = self.has_text(element)
        new = replace(state)

        def unsure(why: str, *, covers: bool = False) -> None:
            if text or covers:
                raise UnsureError(f"{_named(element)} {why}")

        hides = False
        font = state.font_px
        own = {n: d.tokens for n, d in values.items() if n.startswith("--")}
        if own:
            new.custom = {**state.custom, **own}
        values = {n: _resolved(d, new.custom) for n, d in values.items() if not n.startswith("--")}
        for name, declared in values.items():
            tokens = declared.tokens
            if name in SAFE:
                continue
            if name not in _KNOWN:
                unsure(f"has {name}, a CSS property peel does not evaluate, which could hide text")
                continue
            dynamic = _dynamic(tokens)
            if dynamic and name not in ("color", "background", "background-color"):
                unsure(f"sets {name} with {dynamic}, which peel cannot evaluate", covers=name in _COVERING)
                continue
            word = tokens[0].lower_value if len(tokens) == 1 and tokens[0].type == "ident" else None
            if word in ("initial", "unset", "revert", "revert-layer", "inherit"):
                if word in ("revert", "revert-layer"):
                    unsure(f"reverts {name} to the browser's own, which peel does not evaluate")
                elif name in _INHERITED and word == "initial":
                    new = _initially(new, name)
                elif name not in _INHERITED and word in ("inherit",) and name in ("display", "opacity"):
                    unsure(f"inherits {name} from its parent, which peel does not follow")
                continue
            if name == "display":
                if word == "none":
                    hides = True
                elif word not in _DISPLAY and not _all_idents(tokens):
                    unsure(f"has display {_value(tokens)}, which peel does not know")
            elif name == "visibility":
                if word in ("hidden", "collapse"):
                    new.visible = False
                elif word == "visible":
                    new.visible = True
                elif word == "inherit":
                    pass
                else:
                    unsure(f"has visibility {_value(tokens)}, which peel does not know")
            elif name == "content-visibility":
                if word == "hidden":
                    hides = True
                elif word not in ("visible", "auto"):
                    unsure(f"has content-visibility {_value(tokens)}")
            elif name == "opacity":
                amount = _fraction(tokens)
                if amount is None:
                    unsure(f"has opacity {_value(tokens)}, which peel cannot evaluate")
                else:
                    new.alpha = state.alpha * amount
            elif name == "zoom":
                amount = _fraction(tokens, cap=None)
                if word == "normal" or (amount is not None and amount >= 0.5):
                    pass
                elif amount is not None and amount < 0.3:
                    hides = True
                else:
                    unsure(f"has zoom {_value(tokens)}")
            elif name in ("color", "-webkit-text-fill-color"):
                if word == "inherit":
                    continue
                colour = parse_colour(tokens, state.color)
                if colour is None:
                    unsure(f"has {name} {_value(tokens)}, a colour peel cannot tell")
                elif name == "color":
                    new.color = colour
                else:
                    new.fill = colour
            elif name in ("background", "background-color", "background-image"):
                new.background = self.background(tokens, name, new.background, state.color, unsure)
            elif name in ("font-size", "font", "font-family"):
                symbols = _symbol_fonts(tokens) if name != "font-size" else None
                if symbols:
                    unsure(f"is set in {symbols}, a font of symbols, not letters")
                if name == "font-family":
                    continue
                font = _font_size(tokens, name, state.font_px)
                if font is None:
                    unsure(f"has {name} {_value(tokens)}, a size peel cannot tell")
                    font = state.font_px
                new.font_px = font
            elif name == "text-indent":
                indent = length_px(tokens[0], font) if tokens else None
                if indent is None:
                    unsure(f"has text-indent {_value(tokens)}, which peel cannot evaluate")
                elif indent <= -OFF_SCREEN / 4:
                    new.indent_hidden = True
                elif indent < -SHIFTED:
                    unsure(f"has text-indent {_value(tokens)}, which moves its first line away")
                else:
                    new.indent_hidden = False
            elif name in ("letter-spacing", "word-spacing"):
                if word not in ("normal",) and not (tokens and _at_least(tokens[0], font, -0.1 * font)):
                    unsure(f"has {name} {_value(tokens)}, which may crush its text unreadable")
            elif name == "line-height":
                if tokens and tokens[0].type in ("number", "dimension", "percentage") and float(tokens[0].value) == 0:
                    unsure("has line-height 0, which lays its lines over each other")
            elif name in ("unicode-bidi", "direction", "writing-mode", "text-orientation"):
                if word not in ("normal", "ltr", "horizontal-tb", "mixed", "isolate", "embed", "plaintext"):
                    unsure(f"has {name} {_value(tokens)}, which reorders its text")
            elif name in ("order", "flex-direction", "flex-flow", "grid-row", "grid-column", "grid-area",
                          "grid-template-areas", "grid-auto-flow", "grid-row-start", "grid-row-end",
                          "grid-column-start", "grid-column-end", "grid-template", "grid", "grid-template-rows",
                          "grid-template-columns", "grid-auto-rows", "grid-auto-columns"):  # fmt: skip
                if not (
                    word in ("0", "none", "auto", "row", "column", "normal", "nowrap", "wrap")
                    or _plain_grid(name, tokens)
                ):
                    unsure(f"has {name} {_value(tokens)}, which can show its parts in another order")
            elif name in ("content",):
                if word not in ("normal", "none"):
                    unsure(f"has content {_value(tokens)}, which replaces or adds text")
            elif name in ("quotes",):
                if word not in ("none", "auto"):
                    unsure(f"has quotes {_value(tokens)}, which can add text")
            elif name in ("list-style", "list-style-type"):
                if any(t.type == "string" for t in tokens):
                    unsure(f"has {name} {_value(tokens)}, which adds text as a marker")
            elif name.startswith("animation"):
                if name in ("animation", "animation-name") and word != "none":
                    unsure(f"has {name} {_value(tokens)}, which may change what is shown over time")
            elif name in ("filter", "backdrop-filter", "mix-blend-mode", "mask", "mask-image", "-webkit-mask",
                          "-webkit-mask-image", "mask-size", "mask-position", "mask-repeat", "-webkit-background-clip",
                          "background-clip", "-webkit-line-clamp", "line-clamp"):  # fmt: skip
                if name == "filter" and tokens and tokens[0].type == "function" and tokens[0].lower_name == "opacity":
                    amount = _fraction(_tokens(tokens[0].arguments))
                    if amount is not None:
                        new.alpha = new.alpha * amount
                        continue
                if word not in ("none", "normal", "border-box", "padding-box"):
                    unsure(f"has {name} {_value(tokens)}, which peel cannot evaluate")
            elif name in _BOX:
                pass  # judged together below
            else:  # pragma: no cover - every property of _KNOWN has a branch above
                unsure(f"has {name}, which peel does not evaluate")
        if hides:
            return new, True
        if self.box(element, values, font, unsure):
            return new, True
        return new, False

    def background(self, tokens, name, below: Colour, current: Colour, unsure) -> Colour:
        colour = None
        for token in tokens:
            if token.type == "url" or (
                token.type == "function"
                and (
                    "gradient" in token.lower_name
                    or token.lower_name in ("url", "image", "image-set", "cross-fade", "element", "paint")
                )
            ):
                unsure(f"has a {name} image, and peel cannot see what its text is drawn over")
                return below
        if name == "background-image":
            return below
        if _dynamic(tokens):
            unsure(f"has {name} {_value(tokens)}, a colour peel cannot tell")
            return below
        words = {t.lower_value for t in tokens if t.type == "ident"}
        for token in tokens:
            found = parse_colour([token], current)
            if found is not None and not (token.type == "ident" and token.lower_value in _BACKGROUND_WORDS):
                colour = found
        if colour is None:
            if name == "background-color" and not words & {"inherit", "initial", "unset"}:
                unsure(f"has {name} {_value(tokens)}, a colour peel cannot tell")
            return below
        return _over(colour, below)

    def box(self, element, values: dict[str, Declared], font: float, unsure) -> bool:
        """Position, offsets, margins, transforms, clipping and size together: whether they move
        the element off the screen or clip it away (it hides all it holds), else whether they may
        lay it over other text, or cut some of its own away (:class:`UnsureError`)."""
        words = {n: _word(d.tokens) for n, d in values.items()}
        position = words.get("position") or "static"
        doubts: list[tuple[str, bool]] = []  # (why, whether it may cover other text)
        if "position" in values and position not in ("static", "relative", "absolute", "fixed", "sticky"):
            doubts.append((f"has position {_value(values['position'].tokens)}", True))
        offsets = self.lengths(values, _OFFSETS, font, doubts, moved=position != "static")
        margins = self.lengths(values, _MARGINS, font, doubts, moved=True)
        if any(abs(x) >= OFF_SCREEN for x in offsets) and position != "static":
            return True
        if any(abs(x) >= OFF_SCREEN for x in margins):
            return True
        for name in ("transform", "scale", "rotate"):
            if name in values and words.get(name) != "none":
                tokens = values[name].tokens
                if _zero_scale(tokens) or _far_translate(tokens, font):
                    return True
                doubts.append((f"has {name} {_value(tokens)}, which peel cannot place", True))
        if "clip" in values and words.get("clip") != "auto":
            if _tiny_clip(values["clip"].tokens, font):
                return True
            doubts.append((f"has clip {_value(values['clip'].tokens)}, which may cut its text away", False))
        if "clip-path" in values and words.get("clip-path") != "none":
            if _clip_path_hides(values["clip-path"].tokens):
                return True
            doubts.append((f"has clip-path {_value(values['clip-path'].tokens)}, which may cut its text away", False))
        clips = set()
        for name in ("overflow", "overflow-x", "overflow-y"):
            if name in values:
                clips |= {t.lower_value for t in values[name].tokens if t.type == "ident"} & _OVERFLOW_CLIPS
        if clips:
            sizes = []
            for name in _SIZES:
                if name in values and words.get(name) not in (
                    "auto",
                    "none",
                    "fit-content",
                    "max-content",
                    "min-content",
                ):
                    tokens = values[name].tokens
                    sizes.append(length_px(tokens[0], font) if tokens else None)
            if any(px is not None and px <= 1.5 for px in sizes):
                return True
            if sizes or words.get("white-space") in ("nowrap", "pre"):
                doubts.append(("clips its text to a box (overflow hidden), which may cut some of it away", False))
        if any(x < -SHIFTED for x in margins):
            doubts.append(("has a negative margin, which can lay it over other text", True))
        if position in ("absolute", "fixed") or (
            position in ("relative", "sticky") and any(abs(x) > SHIFTED for x in offsets)
        ):
            doubts.append((f"is positioned ({position}), and may cover other text or be covered", True))
        for why, covers in doubts:
            unsure(why, covers=covers)
        return False

    def lengths(self, values, names, font: float, doubts: list, *, moved: bool) -> list[float]:
        """The lengths the named properties give, in pixels; one peel cannot tell is a doubt."""
        found = []
        for name in names:
            if name not in values:
                continue
            for token in values[name].tokens:
                if token.type == "ident" and token.lower_value == "auto":
                    continue
                px = length_px(token, font, percent_of=0.0 if token.type == "percentage" and token.value >= 0 else None)
                if px is None:
                    if moved:
                        doubts.append(
                            (f"is moved by {name} {_value(values[name].tokens)}, which peel cannot evaluate", True)
                        )
                else:
                    found.append(px)
        return found


_OFFSETS = (
    "top", "left", "right", "bottom", "inset", "inset-inline", "inset-block", "inset-inline-start", "inset-inline-end",
    "inset-block-start", "inset-block-end", "translate",
)  # fmt: skip
_MARGINS = (
    "margin", "margin-top", "margin-left", "margin-right", "margin-bottom", "margin-inline", "margin-block",
    "margin-inline-start", "margin-inline-end", "margin-block-start", "margin-block-end",
)  # fmt: skip
_SIZES = (
    "width", "height", "max-width", "max-height", "inline-size", "block-size", "max-inline-size", "max-block-size",
)  # fmt: skip


def _word(tokens) -> str | None:
    return tokens[0].lower_value if len(tokens) == 1 and tokens[0].type == "ident" else None


_BOX = _names(
    """
    position top left right bottom inset inset-inline inset-block inset-inline-start inset-inline-end
    inset-block-start inset-block-end translate transform scale rotate clip clip-path overflow overflow-x overflow-y
    width height max-width max-height inline-size block-size max-inline-size max-block-size white-space z-index
    margin margin-top margin-left margin-right margin-bottom margin-inline margin-block margin-inline-start
    margin-inline-end margin-block-start margin-block-end
    """
)
_SYMBOL_FONTS = frozenset(
    {"wingdings", "wingdings 2", "wingdings 3", "webdings", "symbol", "zapf dingbats", "dingbats", "marlett",
     "flow block", "flow circular", "flow rounded", "blokk", "redacted", "redacted script", "adobe blank"}
)  # fmt: skip
"""Fonts that draw text as symbols or blocks: text set in them is no text a reader can read."""
_COVERING = _BOX - {"overflow", "overflow-x", "overflow-y", "white-space", "z-index"}
_INHERITED = frozenset({"visibility", "color", "-webkit-text-fill-color", "font-size", "font", "text-indent"})
_KNOWN = (
    _BOX
    | _INHERITED
    | _names(
        """
    display content-visibility opacity zoom background background-color background-image letter-spacing
    word-spacing line-height unicode-bidi direction writing-mode text-orientation order flex-direction flex-flow
    grid-row grid-column grid-area grid-template-areas grid-auto-flow grid-row-start grid-row-end grid-column-start
    grid-column-end grid-template grid grid-template-rows grid-template-columns grid-auto-rows grid-auto-columns
    content quotes list-style list-style-type font-family animation animation-name animation-duration animation-delay
    animation-iteration-count animation-direction animation-fill-mode animation-play-state
    animation-timing-function filter backdrop-filter mix-blend-mode mask mask-image -webkit-mask -webkit-mask-image
    mask-size mask-position mask-repeat -webkit-background-clip background-clip -webkit-line-clamp line-clamp
    """
    )
)
_BACKGROUND_WORDS = frozenset(
    {"none", "repeat", "no-repeat", "repeat-x", "repeat-y", "space", "round", "scroll", "fixed", "local", "top",
     "bottom", "left", "right", "center", "cover", "contain", "auto", "border-box", "padding-box", "content-box"}
)  # fmt: skip


def _address_in(tokens) -> str:
    """The address a url() or a string gives; "" (no address peel can trust) when neither does."""
    for token in tokens:
        if token.type in ("url", "string"):
            return token.value
        if token.type == "function" and token.lower_name in ("url", "src"):
            strings = [t for t in token.arguments if t.type == "string"]
            return strings[0].value if len(strings) == 1 else ""
    return ""


def _ident(word: str):
    from tinycss2.ast import IdentToken

    return IdentToken(0, 0, word)


def _symbol_fonts(tokens) -> str | None:
    """The first font of symbols a font or font-family value names, if any."""
    import tinycss2

    value = " ".join(tinycss2.serialize([t]) for t in tokens).lower()
    for font in sorted(_SYMBOL_FONTS):
        if re.search(rf"(?:^|[\s,'\"]){re.escape(font)}(?:$|[\s,'\"])", value):
            return font
    return None


def _named(element) -> str:
    """An element as a message names it: its tag, and the start of its text to find it by."""
    text = " ".join(element.get_text(" ").split())
    return f"<{element.name}> (\u201c{_short(text, 40)}\u201d)" if text else f"<{element.name}>"


def _resolved(declared: Declared, custom: dict) -> Declared:
    """A declaration with its var() references replaced by the custom properties' values (as
    unchanged when one cannot be resolved: then peel cannot evaluate it)."""
    if not any(t.type == "function" for t in declared.tokens):
        return declared
    tokens = _substitute(declared.tokens, custom, 0)
    return declared if tokens is None else declared._replace(tokens=_tokens(tokens))


def _substitute(tokens, custom: dict, depth: int) -> list | None:
    from tinycss2.ast import FunctionBlock

    if depth > 8:
        return None
    out: list = []
    for token in tokens:
        if token.type == "function" and token.lower_name == "var":
            arguments = list(token.arguments)
            names = [t for t in arguments if t.type == "ident" and t.value.startswith("--")]
            if not names:
                return None
            comma = next((i for i, t in enumerate(arguments) if t.type == "literal" and t.value == ","), None)
            value = custom.get(names[0].value)
            if value is None:
                if comma is None:
                    return None
                value = arguments[comma + 1 :]
            inner = _substitute(value, custom, depth + 1)
            if inner is None:
                return None
            out.extend(inner)
        elif token.type == "function":
            inner = _substitute(token.arguments, custom, depth)
            if inner is None:
                return None
            out.append(FunctionBlock(token.source_line, token.source_column, token.name, inner))
        else:
            out.append(token)
    return out


def _initially(state: _State, name: str) -> _State:
    """``state`` with an inherited property set back to its initial value."""
    if name == "visibility":
        return replace(state, visible=True)
    if name == "color":
        return replace(state, color=BLACK)
    if name == "-webkit-text-fill-color":
        return replace(state, fill=None)
    if name in ("font-size", "font"):
        return replace(state, font_px=16.0)
    return replace(state, indent_hidden=False)  # text-indent


def _winners(declared: list[Declared], active: frozenset) -> dict[str, Declared]:
    """The cascaded value of each property: the declaration that wins among those that apply."""
    won: dict[str, Declared] = {}
    for d in declared:
        if d.group is not None and d.group not in active:
            continue
        if d.name not in won or d.key() > won[d.name].key():
            won[d.name] = d
    return won


def _value(tokens) -> str:
    """A value as a message quotes it (its tokens joined by spaces, as written)."""
    import tinycss2

    return _short(" ".join(tinycss2.serialize([t]) for t in tokens).strip())


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _all_idents(tokens) -> bool:
    return bool(tokens) and all(t.type == "ident" and t.lower_value in _DISPLAY | {"inside", "outside"} for t in tokens)


def _fraction(tokens, cap: float | None = 1.0) -> float | None:
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "number":
        value = float(token.value)
    elif token.type == "percentage":
        value = float(token.value) / 100
    else:
        return None
    value = max(0.0, value)
    return min(cap, value) if cap is not None else value


def _font_size(tokens, name: str, parent: float) -> float | None:
    """The computed font size in pixels, or ``None`` when peel cannot tell it."""
    if name == "font":
        for token in tokens:
            if token.type == "ident" and token.lower_value in _FONT_KEYWORDS:
                return _FONT_KEYWORDS[token.lower_value]
            if token.type in ("dimension", "percentage") or (token.type == "number" and token.value == 0):
                return _font_size([token], "font-size", parent)
        words = {t.lower_value for t in tokens if t.type == "ident"}
        if words & {"caption", "icon", "menu", "message-box", "small-caption", "status-bar", "inherit", "initial"}:
            return parent
        return None
    if len(tokens) != 1:
        return None
    token = tokens[0]
    if token.type == "ident":
        word = token.lower_value
        if word in _FONT_KEYWORDS:
            return _FONT_KEYWORDS[word]
        if word == "smaller":
            return parent / 1.2
        if word == "larger":
            return parent * 1.2
        if word in ("inherit", "unset"):
            return parent
        if word in ("initial", "revert"):
            return 16.0
        return None
    return length_px(token, parent, percent_of=parent)


def _at_least(token, font: float, floor: float) -> bool:
    px = length_px(token, font)
    return px is not None and px >= floor


def _plain_grid(name: str, tokens) -> bool:
    """A grid or flex setting that keeps the source order: sizes of tracks, no placement."""
    if name in ("grid-template-rows", "grid-template-columns", "grid-auto-rows", "grid-auto-columns"):
        return True
    if name in ("flex-direction", "flex-flow"):
        return not any(t.type == "ident" and t.lower_value.endswith("-reverse") for t in tokens)
    return False


def _numbers(tokens) -> list:
    return [t for t in _tokens(tokens) if not (t.type == "literal" and t.value == ",")]


def _zero_scale(tokens) -> bool:
    for token in tokens:
        scales = token.type == "function" and token.lower_name in ("scale", "scalex", "scaley", "scale3d")
        if scales and any(
            t.type in ("number", "percentage") and float(t.value) == 0 for t in _numbers(token.arguments)
        ):
            return True
        if token.type in ("number", "percentage") and float(token.value) == 0:
            return True  # the scale property: "scale: 0"
    return False


def _far_translate(tokens, font: float) -> bool:
    for token in tokens:
        if token.type == "function" and token.lower_name in ("translate", "translatex", "translatey", "translate3d"):
            for argument in _numbers(token.arguments):
                px = length_px(argument, font)
                if px is not None and abs(px) >= OFF_SCREEN:
                    return True
    return False


def _tiny_clip(tokens, font: float) -> bool:
    for token in tokens:
        if token.type == "function" and token.lower_name == "rect":
            sides = [length_px(t, font) for t in _numbers(token.arguments)]
            if len(sides) == 4 and None not in sides:
                top, right, bottom, left = sides
                return bottom - top <= 1.5 or right - left <= 1.5
    return False


def _clip_path_hides(tokens) -> bool:
    for token in tokens:
        if token.type == "function" and token.lower_name == "inset":
            first = _numbers(token.arguments)[:1]
            if first and first[0].type == "percentage" and float(first[0].value) >= 50:
                return True
        if token.type == "function" and token.lower_name == "circle":
            first = _numbers(token.arguments)[:1]
            if first and first[0].type in ("number", "dimension", "percentage") and float(first[0].value) == 0:
                return True
    return False


def unseen(soup, *, own_site: str | None, unread: frozenset[str]) -> list:
    """The elements and texts of a parsed page a reader does not see, to drop unread; raises
    :class:`UnsureError` when peel cannot be sure. ``own_site``: the letter's https address, whose
    site's stylesheets are the publisher's; ``unread``: elements the reader drops anyway."""
    return _Page(soup, own_site=own_site, unread=unread).run()

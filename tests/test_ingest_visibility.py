"""An HTML letter can hide a sentence from its readers; peel never reads it (issue 19). Each case
puts a closure of the supervision recommendation in a letter that visibly closes the management
one: hidden, it is never proposed while the visible closure still is; where peel cannot tell
whether a reader sees it, the letter is refused, saying why."""

from __future__ import annotations

import functools
import html
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import scaled_examples
from peelcli.ingest.letter import parse_letter
from peelcli.ingest.proposal import propose
from peelcli.ledger import Ledger
from peelcli.problems import PeelError

LEDGER = Path(__file__).parent / "fixtures" / "letters" / "ledger"
VISIBLE_REC = (
    "review how it manages crimes and make sure that supervisors understand how to use its crime management systems"
)
HIDDEN_REC = (
    "review all crimes which appear to have inadequate supervision, to identify suspects and assess the level of risk "
    "to the public they pose"
)
CLOSE = "We will close this recommendation."


def page(injected: str, *, head: str = "", site: str = "https://hmicfrs.example/letter/") -> str:
    """A Nottinghamshire revisit letter page closing the management recommendation, with
    ``injected`` after it and ``head`` in its head."""
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Nottinghamshire Police: PEEL causes of concern revisit letter</title>
<link rel="canonical" href="{site}">{head}</head><body><main>
<h1>Nottinghamshire Police: PEEL causes of concern revisit letter</h1>
<p>Published on: 4 April 2025</p>
<h2>Letter information</h2>
<dl><dt>From</dt><dd>Roy Wilsher OBE QFSM<br>His Majesty’s Inspector of Constabulary</dd>
<dt>To</dt><dd>Kate Meynell<br>Chief Constable<br>Nottinghamshire Police</dd>
<dt>Sent on</dt><dd>4 April 2025</dd></dl>
<div class="entry-content">
<p>Between 27 January and 7 February 2025, we revisited the force.</p>
<h2>The force should {VISIBLE_REC}</h2>
<p>We found that the force has improved how it manages crimes.</p>
<p>{CLOSE}</p>
{injected}
<h2>Conclusion</h2>
<p>We will continue to monitor the force’s progress.</p>
</div></main></body></html>"""


def hidden_block(open_tag: str, close_tag: str) -> str:
    """The supervision recommendation's heading and closure inside ``open_tag``...``close_tag``."""
    return f"{open_tag}<h2>The force should {HIDDEN_REC}</h2><p>{CLOSE}</p>{close_tag}"


@functools.cache
def nottinghamshire():
    return Ledger(LEDGER).load_all(today=__import__("datetime").date(2026, 11, 26))


def closed_recs(source: str) -> list[str]:
    """The recommendations the letter's proposal closes."""
    force = next(f for f in nottinghamshire() if f.slug == "nottinghamshire")
    letter = parse_letter(source.encode("utf-8"), "letter.html", html=True)
    proposal = propose(letter, "nottinghamshire", force)
    return [c.argv[3] for c in proposal.changes if c.argv[1] == "close-rec"]


def refusal(source: str) -> str:
    with pytest.raises(PeelError) as caught:
        parse_letter(source.encode("utf-8"), "letter.html", html=True)
    (problem,) = caught.value.problems
    assert problem.message.startswith("peel cannot be sure what a reader of this page sees: ")
    return problem.message


def test_the_letter_reads_and_a_visible_block_is_proposed():
    assert closed_recs(page("")) == ["rec-inv-manage"]
    assert closed_recs(page(hidden_block("<div>", "</div>"))) == ["rec-inv-manage", "rec-inv-supervision"]


# -- hidden: never read, and the rest still is ---------------------------------------------------

HIDDEN = {
    "display none, a tab": ('<div style="display:\tnone">', "</div>", ""),
    "display none, any case, !important": ('<div style="DISPLAY : None !IMPORTANT">', "</div>", ""),
    "display none, escaped": ('<div style="\\64 isplay: n\\6f ne">', "</div>", ""),
    "display none, after a comment": ('<div style="color: red; /* x */ display /**/: none">', "</div>", ""),
    "visibility hidden": ('<div style="visibility:hidden">', "</div>", ""),
    "visibility collapse": ('<div style="visibility: collapse">', "</div>", ""),
    "opacity 0": ('<div style="opacity:0">', "</div>", ""),
    "opacity 0%": ('<div style="opacity: 0%">', "</div>", ""),
    "filter opacity 0": ('<div style="filter: opacity(0)">', "</div>", ""),
    "font-size 0": ('<div style="font-size:0">', "</div>", ""),
    "font-size 1px": ('<div style="font-size: 1px">', "</div>", ""),
    "font-size 0.1em": ('<div style="font-size: .1em">', "</div>", ""),
    "font shorthand 0": ('<div style="font: 0/0 a">', "</div>", ""),
    "white on white": ('<div style="color: #fff">', "</div>", ""),
    "named colour of the background": ('<div style="color: WHITE">', "</div>", ""),
    "transparent": ('<div style="color: transparent">', "</div>", ""),
    "alpha 0": ('<div style="color: rgba(0, 0, 0, 0)">', "</div>", ""),
    "text fill transparent": ('<div style="-webkit-text-fill-color: transparent">', "</div>", ""),
    "colour of its own background": ('<div style="color:#123456;background:#123456">', "</div>", ""),
    "hsl of the background": ('<div style="background-color: white; color: hsl(0, 0%, 100%)">', "</div>", ""),
    "off screen left": ('<div style="position:absolute;left:-9999px">', "</div>", ""),
    "off screen top": ('<div style="position: fixed; top: -10000px">', "</div>", ""),
    "margin off screen": ('<div style="margin-left:-10000px">', "</div>", ""),
    "translated away": ('<div style="transform: translateX(-9999px)">', "</div>", ""),
    "scaled to nothing": ('<div style="transform:scale(0)">', "</div>", ""),
    "clipped to nothing": (
        '<div style="position:absolute;clip:rect(0 0 0 0);width:1px;height:1px;overflow:hidden">',
        "</div>",
        "",
    ),
    "clip-path inset": ('<div style="clip-path: inset(50%)">', "</div>", ""),
    "height 0, overflow hidden": ('<div style="height:0;overflow:hidden">', "</div>", ""),
    "max-height 0, overflow clip": ('<div style="max-height: 0px; overflow: clip">', "</div>", ""),
    "text-indent": ('<div style="text-indent:-9999px">', "</div>", ""),
    "content-visibility": ('<div style="content-visibility: hidden">', "</div>", ""),
    "zoom": ('<div style="zoom: 0.01">', "</div>", ""),
    "hidden attribute": ("<div hidden>", "</div>", ""),
    "hidden until found": ('<div hidden="until-found">', "</div>", ""),
    "closed dialog": ("<dialog>", "</dialog>", ""),
    "closed details": ("<details><summary>More</summary>", "</details>", ""),
    "template": ("<template>", "</template>", ""),
    "noembed": ("<noembed>", "</noembed>", ""),
    "noframes": ("<noframes>", "</noframes>", ""),
    "a comment": ("<!--", "-->", ""),
    "a class hidden by a style rule": ('<div class="later">', "</div>", "<style>.later { display: none }</style>"),
    "an id hidden by a style rule": ('<div id="x1">', "</div>", "<style>#x1{visibility:hidden}</style>"),
    "an element hidden by a style rule": ("<section>", "</section>", "<style>section { font-size: 0 }</style>"),
    "an attribute hidden by a style rule": ('<div data-x="1">', "</div>", '<style>[data-x="1"]{opacity:0}</style>'),
    "a rule in the body": ('<style>.b{display:none}</style><div class="b">', "</div>", ""),
    "a later, weaker rule does not show it": (
        '<div id="k" class="k">',
        "</div>",
        "<style>#k{display:none} .k{display:block}</style>",
    ),
    "!important beats the style attribute": (
        '<div class="i" style="display:block">',
        "</div>",
        "<style>.i{display:none !important}</style>",
    ),
    "shown only on hover, which it cannot be": (
        '<div class="h">',
        "</div>",
        "<style>.h { display: none } .h:hover { display: block }</style>",
    ),
    "a custom property that hides": (
        '<div class="cv">',
        "</div>",
        "<style>body { --gone: none } .cv { display: var(--gone) }</style>",
    ),
    "a custom property's fallback": ('<div style="color: var(--unset, white)">', "</div>", ""),
    "the later of two in one rule": ('<div class="two">', "</div>", "<style>.two { color: #222; color: #fff }</style>"),
    "media all": ('<div class="m">', "</div>", "<style>@media screen { .m { display: none } }</style>"),
    "inherited visibility": ('<div style="visibility:hidden"><span>', "</span></div>", ""),
    "inherited colour on an inherited background": (
        '<div style="background:black;color:black"><span>',
        "</span></div>",
        "",
    ),
}


@pytest.mark.parametrize(("opening", "closing", "head"), HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_text_is_never_read(opening, closing, head):
    assert closed_recs(page(hidden_block(opening, closing), head=head)) == ["rec-inv-manage"]


SHOWN = {
    "aria-hidden: hidden from screen readers, seen by the eye": ('<div aria-hidden="true">', "</div>", ""),
    "a closed details' summary": ("<details><summary>", "</summary></details>", ""),
    "an open details": ("<details open><summary>More</summary>", "</details>", ""),
    "an open dialog": ("<dialog open>", "</dialog>", ""),
    "hidden, then shown by the page's own rule": (
        "<div hidden>",
        "</div>",
        "<style>div[hidden]{display:block}</style>",
    ),
    "visibility shown again inside": (
        '<div style="visibility:hidden"><div style="visibility:visible">',
        "</div></div>",
        "",
    ),
    "a print rule": ('<div class="p">', "</div>", "<style>@media print { .p { display: none } }</style>"),
    "harmless styles": ('<div style="font-weight:bold;color:#333;margin:1em 0;text-align:left">', "</div>", ""),
    "grey on white": ('<div style="color: #767676; background: #fff">', "</div>", ""),
    "a rule for other elements": ('<div class="shown">', "</div>", "<style>.gone{display:none}</style>"),
    "visibility set back to its initial value inside": (
        '<div style="visibility:hidden"><div style="visibility:initial">',
        "</div></div>",
        "",
    ),
    "hidden only on hover (a reader sees it first)": (
        '<div class="hv">',
        "</div>",
        "<style>.hv:hover { display: none }</style>",
    ),
    "a custom property": (
        '<div class="cp">',
        "</div>",
        "<style>:root { --ink: #222; --size: 1rem } .cp { color: var(--ink); font-size: var(--size) }</style>",
    ),
    "an !important colour over a later transparent one": (
        '<div style="color: #222 !important; color: transparent">',
        "</div>",
        "",
    ),
    "a larger font": ('<div style="font-size: 1.2rem">', "</div>", ""),
}


@pytest.mark.parametrize(("opening", "closing", "head"), SHOWN.values(), ids=SHOWN.keys())
def test_text_a_reader_sees_is_read(opening, closing, head):
    assert closed_recs(page(hidden_block(opening, closing), head=head)) == ["rec-inv-manage", "rec-inv-supervision"]


# -- unsure: refused, saying why -----------------------------------------------------------------

UNSURE = {
    "noscript": ("<noscript>", "</noscript>", "", "<noscript>, which only readers with scripts turned off see"),
    "a screen size": (
        '<div class="w">',
        "</div>",
        "<style>@media (max-width: 600px) { .w { display: none } }</style>",
        "@media (max-width: 600px)",
    ),
    "text added by content": (
        '<div class="c">',
        "</div>",
        '<style>.c::before { content: "We will not " }</style>',
        "adds text with CSS content",
    ),
    "calc": ('<div style="font-size: calc(1px - 1px)">', "</div>", "", "font-size with calc()"),
    "var() of a property never set": ('<div style="opacity: var(--o)">', "</div>", "", "opacity with var()"),
    "an unknown property": (
        '<div style="text-security: disc">',
        "</div>",
        "",
        "text-security, a CSS property peel does not evaluate",
    ),
    "a stylesheet of another site": (
        "<div>",
        "</div>",
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "is not the letter's own site's",
    ),
    "an imported stylesheet": (
        "<div>",
        "</div>",
        '<style>@import url("https://evil.example/x.css");</style>',
        "a stylesheet it imports",
    ),
    "positioned over the page": (
        '<div style="position:absolute;top:0;left:0">',
        "</div>",
        "",
        "is positioned (absolute)",
    ),
    "faint": ('<div style="opacity: 0.15">', "</div>", "", "has a contrast of"),
    "tiny": ('<div style="font-size: 6px">', "</div>", "", "is 6px high"),
    "nested rules": (
        '<div class="n"><p class="q">',
        "</p></div>",
        "<style>.n { .q { display: none } }</style>",
        "nested rules",
    ),
    "a shadow root": (
        '<div><template shadowrootmode="open"><p>Shown instead</p></template>',
        "</div>",
        "",
        "shadow root",
    ),
    "a refresh": (
        "<div>",
        "</div>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "sends its reader on",
    ),
    "reordered": ('<div style="display:flex;flex-direction:column-reverse">', "</div>", "", "in another order"),
    "reversed text": ('<div style="unicode-bidi: bidi-override; direction: rtl">', "</div>", "", "reorders its text"),
    "a font of symbols": ("<div style=\"font-family: 'Wingdings 2', serif\">", "</div>", "", "a font of symbols"),
    "a font of blocks, in the shorthand": (
        '<div style="font: 16px Redacted Script">',
        "</div>",
        "",
        "a font of symbols",
    ),
    "a background image": ('<div style="background: url(x.png)">', "</div>", "", "a background image"),
    "a font of another site": (
        "<div>",
        "</div>",
        "<style>@font-face{font-family:X;src:url(https://evil.example/blank.woff)}</style>",
        "a font it loads",
    ),
}


@pytest.mark.parametrize(("opening", "closing", "head", "why"), UNSURE.values(), ids=UNSURE.keys())
def test_what_peel_cannot_tell_is_refused_saying_why(opening, closing, head, why):
    assert why in refusal(page(hidden_block(opening, closing), head=head))


def test_the_publishers_own_stylesheet_is_trusted_and_its_hidden_classes_dropped():
    head = '<link rel="stylesheet" href="/wp-content/themes/x/style.css">'
    block = hidden_block('<div class="screen-reader-text">', "</div>")
    assert closed_recs(page(block, head=head)) == ["rec-inv-manage"]
    assert closed_recs(page(hidden_block('<div class="notice">', "</div>"), head=head)) == [
        "rec-inv-manage",
        "rec-inv-supervision",
    ]


def test_a_stylesheet_with_no_address_to_judge_it_by_is_refused():
    source = page(hidden_block("<div>", "</div>"), head='<link rel="stylesheet" href="style.css">')
    source = source.replace('<link rel="canonical" href="https://hmicfrs.example/letter/">', "")
    assert "the letter gives no address of its own" in refusal(source)


def test_a_page_in_quirks_mode_matches_classes_in_any_case():
    source = page(hidden_block('<div class="Later">', "</div>"), head="<style>.lATER{display:none}</style>")
    assert closed_recs(source.replace("<!DOCTYPE html>", "")) == ["rec-inv-manage"]
    assert closed_recs(source) == ["rec-inv-manage", "rec-inv-supervision"]  # standards mode: no match


def test_misnested_markup_is_read_as_browsers_build_it():
    """Browsers carry an unclosed hidden <b> into the next paragraph; so does peel."""
    block = f"<p><b hidden>x</p><h2>The force should {HIDDEN_REC}</h2><p>{CLOSE}</p>"
    assert closed_recs(page(block)) == ["rec-inv-manage"]


# -- the property ---------------------------------------------------------------------------------


def _spaced(draw, text: str) -> str:
    """CSS as an author may write it: any case, spacing and comments around the colon."""
    name, _, value = text.partition(":")
    space = st.sampled_from(["", " ", "\t", "\n", "  ", "/**/", " /* x */ "])
    case = draw(st.sampled_from([str.lower, str.upper, str.title, lambda s: s]))
    important = draw(st.sampled_from(["", " !important", "!IMPORTANT"]))
    return f"{draw(space)}{case(name)}{draw(space)}:{draw(space)}{value}{important}{draw(space)}"


STYLES_THAT_HIDE = [
    "display:none",
    "visibility:hidden",
    "opacity:0",
    "font-size:0",
    "font-size:0.5px",
    "color:transparent",
    "color:#ffffff",
    "text-indent:-99999px",
    "content-visibility:hidden",
    "transform:scale(0)",
    "clip-path:inset(50%)",
]


@st.composite
def hiding(draw) -> tuple[str, str, str]:
    """(opening, closing, head) of a generated way of hiding a block."""
    kind = draw(st.sampled_from(["inline", "rule", "element", "attribute"]))
    element = draw(st.sampled_from(["div", "section", "span", "article", "blockquote"]))
    styles = draw(st.lists(st.sampled_from(STYLES_THAT_HIDE), min_size=1, max_size=3))
    harmless = draw(
        st.lists(st.sampled_from(["font-weight:bold", "margin:0", "text-decoration:underline"]), max_size=2)
    )
    declarations = ";".join(_spaced(draw, s) for s in [*harmless, *styles])
    if kind == "inline":
        return f'<{element} style="{html.escape(declarations)}">', f"</{element}>", ""
    if kind == "rule":
        name = draw(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True))
        selector = draw(st.sampled_from([f".{name}", f"{element}.{name}", f"[class~={name}]", f"div > .{name}"]))
        wrapper = ("<div>", "</div>") if selector.startswith("div >") else ("", "")
        head = f"<style>{selector} {{ {declarations} }}</style>"
        return f'{wrapper[0]}<{element} class="{name}">', f"</{element}>{wrapper[1]}", head
    if kind == "attribute":
        return (
            *draw(
                st.sampled_from([("<div hidden>", "</div>"), ('<div hidden="">', "</div>"), ("<dialog>", "</dialog>")])
            ),
            "",
        )
    return draw(
        st.sampled_from(
            [
                ("<template>", "</template>", ""),
                ("<noembed>", "</noembed>", ""),
                ("<details><summary>Details</summary>", "</details>", ""),
                ("<!-- ", " -->", ""),
            ]
        )
    )


@scaled_examples(40)
@given(hiding())
def test_a_hidden_closure_is_never_proposed_and_the_visible_one_still_is(way):
    opening, closing, head = way
    assert closed_recs(page(hidden_block(opening, closing), head=head)) == ["rec-inv-manage"]


PROPERTIES = [
    "display", "visibility", "opacity", "color", "background", "font-size", "font", "text-indent", "position",
    "left", "top", "margin", "transform", "clip", "clip-path", "overflow", "height", "width", "filter", "zoom",
    "content", "--x", "unicode-bidi", "order", "letter-spacing", "line-height", "foo-bar", "-webkit-text-fill-color",
]  # fmt: skip
VALUES = [
    "none", "0", "-9999px", "1e999px", "-0", "50%", "hidden", "inherit", "initial", "revert", "var(--x)",
    "var(--x, 0)", "calc(1px + 2px)", "rgba(0,0,0,0)", "hsl(120deg 50% 50% / 0)", "#fff", "#12", "transparent",
    "url(x)", "scale(0)", "rect(0 0 0 0)", "inset(50%)", '"text"', "1.5em", "2vw", "translate(-1e9px)", "currentcolor",
    "", "!important", "((", "}", "\\", "red blue", "0/0 a",
]  # fmt: skip


@scaled_examples(40)
@given(
    st.lists(st.tuples(st.sampled_from(PROPERTIES), st.sampled_from(VALUES)), max_size=6),
    st.lists(st.tuples(st.sampled_from(["div", ".a", "#b", "*", "p:hover", "div::before", "[x]", "a > b", "@"]),
                       st.sampled_from(PROPERTIES), st.sampled_from(VALUES)), max_size=4),
    st.sampled_from(["", "@media (max-width: 1px) {", "@supports (x: y) {", "@font-face {", "@unknown {"]),
)  # fmt: skip
def test_any_styles_end_in_a_letter_or_a_refusal(inline, rules, wrapper):
    """Generated styles never crash the reader: it reads the letter or refuses it, naming it."""
    style = ";".join(f"{name}:{value}" for name, value in inline)
    sheet = " ".join(f"{selector} {{ {name}: {value} }}" for selector, name, value in rules)
    if wrapper:
        sheet = f"{wrapper} {sheet} }}"
    source = page(
        hidden_block(f'<div class="a" id="b" x style="{html.escape(style)}">', "</div>"),
        head=f"<style>{sheet}</style>",
    )
    try:
        parse_letter(source.encode("utf-8"), "letter.html", html=True)
    except PeelError as error:
        assert all(p.file == "letter.html" for p in error.problems)

"""The output layer: a reporting command's view becomes JSON, a terminal table, Markdown or HTML.

A view is any object with ``json()`` (the command's documented JSON shape, plain values) and
``document()`` (a :class:`~.document.Document` for people). :func:`emit` is the one place that
chooses a writer by the ``--format`` name; adding a format means adding a writer here.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol


class View(Protocol):
    def json(self) -> Any: ...

    def document(self): ...


def _json(view: View) -> str:
    from .jsontext import json_text

    return json_text(view.json())


def _markdown(view: View) -> str:
    from .markdown import markdown

    return markdown(view.document())


def _html(view: View) -> str:
    from .html import html_page

    return html_page(view.document())


def _text(view) -> str:
    """Plain text a view writes itself: ``peel ingest``'s shell commands, which are no document.
    Every line is made safe for a terminal: the text quotes a letter, which may hold
    bidirectional controls or escapes."""
    from .terminal import printable

    return "\n".join(printable(line) for line in view.text().split("\n"))


WRITERS = {"json": _json, "markdown": _markdown, "html": _html, "text": _text}
"""Format name to a function giving the view's text; ``table`` is drawn for the terminal."""


def peel_wrote(fmt: str):
    """What tells a file in ``fmt`` (``markdown``, ``html``) from one peel did not write: a
    function of its bytes, for :func:`~peelcli.files.check_replaceable`, and what to call it."""
    if fmt == "html":
        from .html import page_peel_wrote

        return page_peel_wrote, "an HTML report"
    from .markdown import report_peel_wrote

    return report_peel_wrote, "a Markdown report"


def render(view: View, fmt: str) -> str:
    """The view as text in ``fmt`` (any format but ``table``)."""
    return WRITERS[fmt](view)


def emit(view: View, fmt: str) -> None:
    """Write the view to standard output in ``fmt``, as that medium (:func:`.streams.medium`)."""
    from .streams import medium

    if fmt == "table":
        from .terminal import print_document

        with medium("table"):
            print_document(view.document())
        return
    text = render(view, fmt)
    with medium(fmt):
        sys.stdout.write(text if text.endswith("\n") else text + "\n")

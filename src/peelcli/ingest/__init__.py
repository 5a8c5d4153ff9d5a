"""``peel ingest``: read an HMICFRS letter and propose the ledger changes it states.

- :mod:`.letter` reads a letter (text file, saved HTML page, or an ``https://`` address) into a
  :class:`~peelcli.ingest.letter.Letter`: its information block and its body as paragraphs.
- :mod:`.statements` finds what the body states: the phase decision, meetings held, causes of
  concern and recommendations closed or left open, each with the sentence that says so.
- :mod:`.proposal` matches those statements to a force's records and builds the ``peel``
  commands that would record what is not yet on record.
- :mod:`.apply` is where the proposal meets the editing commands (the diff and ``--apply``).

Everything but reading the letter is a pure function over plain data.
"""

from __future__ import annotations

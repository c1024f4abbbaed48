"""Griffe extension for the API reference: render doctests and Sphinx roles readably.

Many docstrings in the package put a short doctest straight after the summary or
after a ``Parameters`` or ``Raises`` section, without an ``Examples`` header (the
doctest runner does not need one). Markdown would read the ``>>>`` prompts as
nested block quotes, and the NumPy-style parser would read a doctest inside a
section as broken section lines. Before a docstring is parsed this extension:

- fences a doctest in the free text before the first section as ``pycon`` code;
- starts an ``Examples`` section before a doctest that begins, unindented, inside
  any other section (so it is rendered as an example, not as a parameter).

Doctests already under an ``Examples`` header are left alone. Sphinx roles such as
``:class:`~readiness_index.model.methodology.ImputeSpec``` are shown as inline code
(``ImputeSpec``), as Sphinx would show them. The docstrings in the package are not
changed; only what the documentation site shows.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_UNDERLINE = re.compile(r"^-{3,}$")
_LITERAL_MARKER = re.compile(r"(?<=\S)::$", re.MULTILINE)
_ROLE = re.compile(r":(?:class|func|meth|mod|attr|exc|data|obj):`(~?)([^`]+)`")


def plain_roles(text: str) -> str:
    """Replace Sphinx cross-reference roles by inline code; ``~`` keeps the last name.

    A reStructuredText literal marker (``text::`` before an indented block) becomes a
    plain colon; Markdown shows the indented block as code anyway.

    >>> plain_roles("See :func:`~readiness_index.engine.pipeline.build` and :mod:`pycountry`::")
    'See `build` and `pycountry`:'
    """
    text = _LITERAL_MARKER.sub(":", text)
    return _ROLE.sub(lambda m: f"`{m[2].rsplit('.', 1)[-1] if m[1] else m[2]}`", text)


def _is_header(lines: list[str], i: int) -> bool:
    """True when ``lines[i]`` is a NumPy section title (underlined by dashes)."""
    if i + 1 >= len(lines) or not lines[i].strip():
        return False
    underline = lines[i + 1].strip()
    return bool(_UNDERLINE.match(underline)) and len(underline) == len(lines[i].strip())


def _block_end(lines: list[str], start: int) -> int:
    """Index just past the doctest block starting at ``start`` (it ends at a blank line)."""
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def fence_doctests(text: str) -> str:
    """Fence or head every doctest that is not under an ``Examples`` header.

    >>> fence_doctests("Sum.\\n\\n>>> 1 + 1\\n2").split("\\n")
    ['Sum.', '', '```pycon', '>>> 1 + 1', '2', '```']
    """
    lines = text.split("\n")
    out: list[str] = []
    section: str | None = None
    i = 0
    while i < len(lines):
        if _is_header(lines, i):
            section = lines[i].strip()
        if lines[i].startswith(">>>") and section != "Examples":
            end = _block_end(lines, i)
            if section is None:
                out += ["```pycon", *lines[i:end], "```"]
            else:
                out += ["Examples", "--------", *lines[i:end]]
                section = "Examples"
            i = end
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Rewrite each docstring with ``fence_doctests`` and ``plain_roles`` when it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Called by griffe for every object it loads."""
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(fence_doctests(obj.docstring.value))

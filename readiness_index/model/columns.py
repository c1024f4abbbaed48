"""Column names and keys are identifiers: a name that differs from the expected one
only in letter case is refused, never read as that name, and the message pairs each
name found with the name expected.

Every reader that takes a header (long data in CSV, Excel or Parquet, Eurostat files,
COINr's ``iData`` and ``iMeta``) and every definition file with fixed keys says the same
thing in the same words, from :func:`case_variants` and :func:`describe_case_variants`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, get_args

from pydantic import BaseModel

__all__ = [
    "CASE_SENSITIVE",
    "case_hint",
    "case_variants",
    "describe_case_variants",
    "header_case_problem",
    "keys_at",
]

#: Said after every pairing of a name found with the name expected.
CASE_SENSITIVE = "(the names are case-sensitive)"


def case_variants(found: Iterable[object], expected: Iterable[str]) -> dict[str, str]:
    """The names found that differ from a missing expected name only in letter case.

    A name found that is itself expected is no variant, nor is one whose expected
    spelling is also found (that one is an extra name, said as such).

    Parameters
    ----------
    found : iterable
        The names as written (a header, the keys of a mapping).
    expected : iterable of str
        The names that may be written.

    Returns
    -------
    dict of str to str
        Each variant found, in the order found, with the expected name it matches.

    Examples
    --------
    >>> case_variants(["Country", "year", "VALUE", "value2"], ["country", "year", "value"])
    {'Country': 'country', 'VALUE': 'value'}
    >>> case_variants(["Country", "country"], ["country"])
    {}
    """
    names = [str(name) for name in found]
    missing = {name.casefold(): name for name in expected if name not in names}
    return {name: missing[name.casefold()] for name in names if name.casefold() in missing}


def describe_case_variants(variants: Mapping[str, str]) -> str:
    """Each variant paired with the name expected, in words.

    Examples
    --------
    >>> print(describe_case_variants({"Country": "country", "VALUE": "value"}))
    found 'Country', expected 'country'; found 'VALUE', expected 'value' (the names are ...)
    """
    pairs = "; ".join(f"found {name!r}, expected {want!r}" for name, want in variants.items())
    return f"{pairs} {CASE_SENSITIVE}"


def header_case_problem(
    found: Sequence[object], required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[str, str, list[str]] | None:
    """The failure of a header whose names differ from the expected ones only in case.

    Parameters
    ----------
    found : sequence
        The header as read.
    required, optional : sequence of str
        The columns a table must have, and those it may have.

    Returns
    -------
    (column, expected, found) or None
        The variants found (joined by ``", "``), what was expected (the columns, and each
        variant with the name it matches except for case) and the header as a list;
        ``None`` when no name is a variant.

    Examples
    --------
    >>> column, expected, header = header_case_problem(["Country", "value"], ["country", "value"])
    >>> column, header
    ('Country', ['Country', 'value'])
    >>> print(expected)
    the columns ['country', 'value'] written exactly so: found 'Country', expected 'country' ...
    """
    variants = case_variants(found, [*required, *optional])
    if not variants:
        return None
    also = f" (and optionally {list(optional)})" if optional else ""
    pairs = describe_case_variants(variants)
    expected = f"the columns {list(required)}{also} written exactly so: {pairs}"
    return ", ".join(variants), expected, [str(name) for name in found]


def case_hint(key: object, known: Iterable[str]) -> str:
    """``; did you mean 'name'? (...)`` when ``key`` differs from a known key only in case.

    Examples
    --------
    >>> case_hint("Name", ["code", "name"])
    "; did you mean 'name'? (the names are case-sensitive)"
    >>> case_hint("colour", ["code", "name"])
    ''
    """
    variants = case_variants([key], known)
    return f"; did you mean {variants[str(key)]!r}? {CASE_SENSITIVE}" if variants else ""


def keys_at(model: type[BaseModel], path: Sequence[int | str]) -> list[str]:
    """The keys a mapping at ``path`` inside ``model`` may hold (``[]`` when unknown).

    ``path`` is a pydantic error location; positions in lists are stepped over. A field
    with an alias is written with its alias.

    Examples
    --------
    >>> from readiness_index.model.framework import Indicator
    >>> keys_at(Indicator, ["bounds"])
    ['lower', 'upper']
    """
    models = [model]
    for part in path:
        if isinstance(part, int):
            continue
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        models = [m for field in fields for m in _models_in(field.annotation)]
    return sorted({f.alias or name for m in models for name, f in m.model_fields.items()})


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The models an annotation names (``Spec | None``, ``tuple[Spec, ...]``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]

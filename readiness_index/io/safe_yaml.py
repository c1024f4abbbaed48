"""Safe YAML: every framework, methodology and assumptions file is read here.

On top of YAML's safe schema (no ``!!python`` tags), a file is refused when:

* it is not UTF-8 text (the error names the file, the place and the encoding to use);
* it is larger than :data:`MAX_FILE_BYTES`, nests deeper than :data:`MAX_DEPTH`, or
  its aliases expand to more than :data:`MAX_NODES` values (an alias bomb, such as
  "billion laughs", is refused in milliseconds, before anything is expanded);
* a mapping repeats a key (YAML keeps the last value without a word);
* a number is not finite (``.inf``, ``.nan``): leave the key out instead.

Only ``true`` and ``false`` are booleans (as in YAML 1.2): ``yes``, ``no``, ``on``
and ``off`` stay text, so ``direction: yes`` is refused where a number is expected.
Numbers follow YAML 1.2's core schema too: ``010`` is ten (not octal eight), and YAML
1.1's ``1:30`` (base 60, ninety) stays text, refused where a number is expected.
Values quoted in messages are shortened, so that a message stays short whatever
the file holds. libyaml's parser is used where it is installed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from readiness_index.errors import DataFileNotFoundError, ReadinessIndexError, Reason

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "decode_text",
    "load_yaml",
]

#: The largest YAML file read (bytes).
MAX_FILE_BYTES = 20_000_000
#: The deepest nesting of mappings and lists.
MAX_DEPTH = 64
#: The most values a file may hold once its aliases are expanded.
MAX_NODES = 1_000_000
_MESSAGE_VALUE = 60

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_TAG = "tag:yaml.org,2002:bool"
_FLOAT_TAG = "tag:yaml.org,2002:float"


_INT_TAG = "tag:yaml.org,2002:int"
_YAML11_NUMBERS = (_BOOL_TAG, _INT_TAG, _FLOAT_TAG)


class _Loader(_Base):  # type: ignore[misc]
    """libyaml's (or PyYAML's) safe loader with YAML 1.2 booleans and numbers."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML11_NUMBERS]
        for first, resolvers in _Base.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# numbers as in YAML 1.2's core schema: 010 is ten (not octal eight) and 1:30 (YAML 1.1's
# base 60) is text, so a weight written 1:30 is refused rather than read as 90; digits may
# be grouped with _ (1_000)
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _FLOAT_TAG,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def _construct_int(loader: Any, node: ScalarNode) -> int:
    """A YAML 1.2 integer: decimal (leading zeros allowed), ``0o`` octal or ``0x`` hex."""
    text = str(loader.construct_scalar(node))
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-").replace("_", "")
    try:
        if digits[:2] in ("0o", "0x"):
            return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
        return sign * int(digits, 10)
    except ValueError as err:  # an explicit !!int tag on text that is not an integer
        raise yaml.constructor.ConstructorError(
            None, None, f"{_short_text(text)!r} is not an integer", node.start_mark
        ) from err


_Loader.add_constructor(_INT_TAG, _construct_int)


def decode_text(data: bytes, file: Path, error: type[ReadinessIndexError]) -> str:
    """``data`` decoded as UTF-8 (a byte-order mark is dropped; UTF-16 and UTF-32 are read
    by theirs), or ``error`` that names the file, the line and column of the first bad
    byte (or NUL character), and the encoding to use.

    Examples
    --------
    >>> from readiness_index.errors import DefinitionError
    >>> decode_text("name: Österreich".encode("latin-1"), Path("f.yaml"), DefinitionError)
    Traceback (most recent call last):
    ...
    readiness_index.errors.DefinitionError: f.yaml: not UTF-8 text: byte 0xd6 at line 1, \
column 7 cannot be read. It looks like Latin-1 (ISO-8859-1) or Windows-1252; save the file \
as UTF-8 and try again.
    """
    boms = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))  # fmt: skip
    encoding = next((name for bom, name in boms if data.startswith(bom)), "utf-8-sig")
    text = _decoded(data, encoding, file, error)
    if "\x00" in text:
        raise _nul_refused(text, file, error)
    return text


def _nul_refused(text: str, file: Path, error: type[ReadinessIndexError]) -> ReadinessIndexError:
    """The error for text holding NUL characters (no text file does; UTF-16 or UTF-32
    saved without a byte-order mark reads as UTF-8 with a NUL beside every letter)."""
    at = text.index("\x00")
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return _refuse(
        error, Reason.ENCODING, str(file), line,
        f"holds a NUL character (byte 0x00) at column {column}; text files "
        "hold none. It looks like UTF-16 or UTF-32 without a byte-order mark, or a binary "
        "file; save the file as UTF-8 and try again.",
    )  # fmt: skip


def _decoded(data: bytes, encoding: str, file: Path, error: type[ReadinessIndexError]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        guess = _guess(data)
        raise _refuse(
            error, Reason.ENCODING, str(file), None,
            f"not {encoding.upper().removesuffix('-SIG')} text: byte "
            f"0x{data[err.start]:02x} at line {line}, column {column} cannot be read. "
            f"It looks like {guess}; save the file as UTF-8 and try again.",
        ) from err  # fmt: skip


def _guess(data: bytes) -> str:
    """A short guess of the encoding, for the message."""
    if b"\x00" in data[:1000]:
        return "UTF-16 without a byte-order mark, or a binary file"
    return "Latin-1 (ISO-8859-1) or Windows-1252"


def load_yaml(path: str | Path, error: type[ReadinessIndexError]) -> Any:
    """Read one YAML document safely (see the module's rules); an empty file gives ``None``.

    Parameters
    ----------
    path : str or Path
        The file.
    error : type
        The library error raised for a bad file (``DefinitionError`` for a framework,
        ``MethodologyError``, ``AssumptionError``); it names the file, the line and
        the rule.

    Raises
    ------
    DataFileNotFoundError
        If the file does not exist.
    """
    file = Path(path)
    if not file.is_file():
        raise DataFileNotFoundError(f"YAML file {file} does not exist.")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(
            error, Reason.TOO_LARGE, str(file), None,
            f"holds {size:,} bytes; a YAML file may hold {MAX_FILE_BYTES:,} at most.",
        )  # fmt: skip
    text = decode_text(file.read_bytes(), file, error)
    return parse_yaml(text, str(file), error)


def parse_yaml(text: str, name: str, error: type[ReadinessIndexError]) -> Any:
    """Parse YAML text by the module's rules (``name`` is used in messages).

    >>> from readiness_index.errors import DefinitionError
    >>> parse_yaml("a: 1\\nb: yes\\nc: true", "x.yaml", DefinitionError)
    {'a': 1, 'b': 'yes', 'c': True}
    >>> parse_yaml("a: 1\\na: 2", "x.yaml", DefinitionError)
    Traceback (most recent call last):
    ...
    readiness_index.errors.DefinitionError: x.yaml, line 2: the key 'a' appears more than \
once in this mapping (first on line 1); keep one.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node, name, error)
        return loader.construct_document(node)
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", None)
        raise _refuse(
            error, Reason.SYNTAX, name, None if line is None else line + 1,
            f"not valid YAML: {_short_text(str(err), 400)}",
        ) from err  # fmt: skip
    finally:
        loader.dispose()


def _check_graph(root: Node, name: str, error: type[ReadinessIndexError]) -> None:
    """Refuse deep nesting, alias bombs, duplicate keys and non-finite numbers."""
    nodes = references = 0
    for node, depth in _walk(root):
        nodes += 1
        references += _references(node)
        if depth > MAX_DEPTH:
            raise _refuse(
                error, Reason.TOO_DEEP, name, _line(node),
                f"nests deeper than {MAX_DEPTH} levels; a definition file is never that deep.",
            )  # fmt: skip
        if isinstance(node, MappingNode):
            _check_keys(node, name, error)
        elif isinstance(node, ScalarNode) and node.tag == _FLOAT_TAG:
            _check_finite(node, name, error)
    # without a node reached twice (an alias), the document holds each node once
    total = nodes if references == nodes - 1 else _expanded_size(root, {})
    if total > MAX_NODES:
        raise _refuse(
            error, Reason.ALIAS_EXPANSION, name, None,
            f"its aliases (*name) expand to more than {MAX_NODES:,} values "
            f"({_short_text(f'{total:,}', 30)}); a YAML alias bomb is refused. "
            "Write the values out or use fewer aliases.",
        )  # fmt: skip


def _walk(root: Node) -> Iterator[tuple[Node, int]]:
    """Every distinct node once, with its depth (iterative: no recursion limit)."""
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node, depth
        stack.extend((child, depth + 1) for child in _children(node))


def _references(node: Node) -> int:
    """How many children ``node`` names (an alias names a node another already holds)."""
    if isinstance(node, MappingNode):
        return 2 * len(node.value)
    return len(node.value) if isinstance(node, SequenceNode) else 0


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: Node, sizes: dict[int, int]) -> int:
    """How many values the document holds once every alias is expanded (memoised)."""
    order = [node for node, _ in _walk(root)]
    for node in reversed(order):
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
    return sizes[id(root)]


def _check_keys(node: MappingNode, name: str, error: type[ReadinessIndexError]) -> None:
    first: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in first:
            raise _refuse(
                error, Reason.DUPLICATE_KEY, name, _line(key),
                f"the key {_short_text(repr(key.value))} appears more than once in this "
                f"mapping (first on line {first[key.value]}); keep one.",
            )  # fmt: skip
        first[key.value] = _line(key)


def _check_finite(node: ScalarNode, name: str, error: type[ReadinessIndexError]) -> None:
    text = node.value.replace("_", "").lower().lstrip("+-")
    try:
        number = math.inf if text in (".inf", ".nan") else float(text)
    except ValueError:
        return  # a YAML 1.1 sexagesimal float such as 1:30.5: finite
    if not math.isfinite(number):
        raise _refuse(
            error, Reason.NOT_FINITE, name, _line(node),
            f"{_short_text(node.value)} is not a finite number; numbers must be finite "
            "(leave the key out when there is no bound).",
        )  # fmt: skip


def _refuse(
    error: type[ReadinessIndexError], reason: Reason, name: str, line: int | None, text: str
) -> ReadinessIndexError:
    """The error to raise, with a one-row failure table (file, line, reason)."""
    import pandas as pd

    where = f"{name}, line {line}" if line is not None else name
    record = {"file": name, "line": line, "reason": reason.value, "problem": text}
    table = pd.DataFrame([record], dtype=object)
    made = error(f"{where}: {text}")
    made.failures = table  # type: ignore[attr-defined]
    return made


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _short_text(text: str, limit: int = _MESSAGE_VALUE) -> str:
    """``text`` cut to ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."

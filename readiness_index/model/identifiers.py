"""Codes are identifiers, never paths or formulas; links are relative or web links.

One rule holds for every code the library reads (units, indicators, aggregates,
denominators, the index itself), wherever it comes from (framework YAML, long
data, COINr's tables, ``data add``):

* 1 to 64 characters;
* ASCII letters, digits, ``_``, ``.`` and ``-`` only;
* the first character is a letter or a digit (so no code starts with ``=``, ``+``,
  ``-``, ``@`` or ``.``);
* no ``..`` and no final ``.``;
* not a name that Windows keeps for a device (``CON``, ``PRN``, ``AUX``, ``NUL``,
  ``COM0``-``COM9``, ``LPT0``-``LPT9``, in any case, alone or before a ``.``), since
  codes become file names.

So a code can never name another folder (``/``, ``\\``, ``..``), a drive or a
scheme (``:``), a hidden file or a spreadsheet formula, and two codes that differ
only in case are the same unit (see :func:`unit_key`).

Links in reports go through :func:`safe_href`, which keeps relative links and
``https:``/``http:`` links and refuses every other scheme (``javascript:``,
``data:``, ``file:``...).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from readiness_index.errors import Reason

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODE_MAX_LENGTH",
    "CODE_PATTERN",
    "CODE_RULE",
    "RESERVED_NAMES",
    "check_code",
    "code_problem",
    "describe_code_problem",
    "is_code",
    "safe_href",
    "unit_key",
    "valid_codes",
]

#: The longest code accepted.
CODE_MAX_LENGTH = 64
#: The code rule as one regular expression (Python syntax).
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
#: The code rule in words, as error messages say it.
CODE_RULE = (
    "1-64 ASCII letters, digits, '_', '.' or '-', starting with a letter or a digit, "
    "without '..' and not ending with '.'"
)
#: Names Windows keeps for devices: a file named ``CON.csv`` or ``nul.a.html`` cannot be
#: made there, so no code is one of them (in any case, alone or before a ``.``).
RESERVED_NAMES = re.compile(r"^(?:CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(?:\.|$)", re.IGNORECASE)
_ALLOWED = re.compile(r"[A-Za-z0-9_.\-]")
_SCHEMES = ("https", "http")


def code_problem(code: object) -> Reason | None:
    """Why ``code`` breaks the code rule, or ``None`` when it is a valid code.

    Examples
    --------
    >>> code_problem("top500_rmax") is None, str(code_problem("../x")), str(code_problem("=1"))
    (True, 'code_first_character', 'code_first_character')
    >>> [str(code_problem(code)) for code in ("a/b", "a..b", "x" * 65)]
    ['code_character', 'code_double_dot', 'code_too_long']
    """
    if not isinstance(code, str):
        return Reason.CODE_NOT_TEXT
    if not code:
        return Reason.CODE_EMPTY
    if len(code) > CODE_MAX_LENGTH:
        return Reason.CODE_TOO_LONG
    if not code[0].isascii() or not code[0].isalnum():
        return Reason.CODE_FIRST_CHARACTER
    if CODE_PATTERN.match(code) is None:
        return Reason.CODE_CHARACTER
    if ".." in code:
        return Reason.CODE_DOUBLE_DOT
    if code.endswith("."):
        return Reason.CODE_FINAL_DOT
    if RESERVED_NAMES.match(code):
        return Reason.CODE_RESERVED_NAME
    return None


def is_code(code: object) -> bool:
    """Whether ``code`` follows the code rule.

    >>> is_code("AT"), is_code("javascript:alert(1)"), is_code(" AT")
    (True, False, False)
    """
    return code_problem(code) is None


def describe_code_problem(code: object, problem: Reason) -> str:
    """A sentence saying why ``code`` is not a code (value shortened).

    >>> describe_code_problem("a/b", Reason.CODE_CHARACTER)
    "'a/b' has the character '/'"
    """
    shown = _short(code)
    if problem is Reason.CODE_CHARACTER and isinstance(code, str):
        bad = next(ch for ch in code if not _ALLOWED.match(ch))
        return f"{shown} has the character {bad!r}"
    reasons = {
        Reason.CODE_NOT_TEXT: f"{shown} is a {type(code).__name__}, not text",
        Reason.CODE_EMPTY: "the code is empty",
        Reason.CODE_TOO_LONG: f"{shown} is longer than {CODE_MAX_LENGTH} characters",
        Reason.CODE_FIRST_CHARACTER: f"{shown} does not start with a letter or a digit",
        Reason.CODE_DOUBLE_DOT: f"{shown} contains '..'",
        Reason.CODE_FINAL_DOT: f"{shown} ends with '.'",
        Reason.CODE_RESERVED_NAME: (
            f"{shown} is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0-9, "
            "LPT0-9), which no file can have"
        ),
    }
    return reasons[problem]


def check_code(code: object, what: str = "code") -> str:
    """Return ``code`` when it follows the code rule, else raise :class:`ValueError`.

    Parameters
    ----------
    code : object
        The text to check.
    what : str, default "code"
        What the code names, for the message (``"unit code"``, ``"indicator code"``).

    Raises
    ------
    ValueError
        Saying what is wrong and what the rule is.

    Examples
    --------
    >>> check_code("AT")
    'AT'
    >>> check_code("../../x", "unit code")
    Traceback (most recent call last):
    ...
    ValueError: invalid unit code: '../../x' does not start with a letter or a digit; \
a code has 1-64 ASCII letters, digits, '_', '.' or '-', starting with a letter or a digit, \
without '..' and not ending with '.'
    """
    problem = code_problem(code)
    if problem is not None:
        raise ValueError(
            f"invalid {what}: {describe_code_problem(code, problem)}; a code has {CODE_RULE}"
        )
    return str(code)


def unit_key(code: str) -> str:
    """The key under which unit codes are compared: codes are case-insensitive.

    ``at``, ``At`` and ``AT`` are one unit; its spelling is the one the framework
    declares, or the upper-case one when the framework declares no units.

    >>> unit_key("At") == unit_key("aT")
    True
    """
    return code.casefold()


def safe_href(url: object) -> str | None:
    """The link to put in an ``href``, or ``None`` when it must not be a link.

    Relative links (``AT-2025.html``, ``#main``, ``assets/x.css``) and absolute
    ``https:``/``http:`` links with a host are kept; every other scheme
    (``javascript:``, ``data:``, ``file:``, ``vbscript:``), scheme-relative links
    (``//host``), control characters and backslashes are refused.

    Examples
    --------
    >>> safe_href("https://ec.europa.eu/eurostat"), safe_href("AT-2025.html")
    ('https://ec.europa.eu/eurostat', 'AT-2025.html')
    >>> safe_href("javascript:alert(1)"), safe_href(" JaVaScRiPt:x"), safe_href("//evil")
    (None, None, None)
    """
    if not isinstance(url, str) or not url or len(url) > 2048:
        return None
    if any(ord(ch) < 0x21 or ch in "\\\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in _SCHEMES and parts.netloc else None
    if url.startswith("//") or ":" in url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return None
    return url


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (error messages stay short)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...'"


def valid_codes(codes: pd.Series) -> pd.Series:
    """Whether each text of ``codes`` follows the code rule (vectorised :func:`is_code`).

    >>> import pandas as pd
    >>> valid_codes(pd.Series(["AT", "../x", "=1+1", "a..b", None, "con", "CONS"])).tolist()
    [True, False, False, False, False, False, True]
    """
    text = codes.astype("string")
    ok = text.str.fullmatch(CODE_PATTERN.pattern) & ~text.str.contains("..", regex=False)
    ok &= ~text.str.endswith(".")
    ok &= ~text.str.contains(RESERVED_NAMES.pattern, flags=re.IGNORECASE, regex=True)
    return ok.fillna(False).astype(bool)

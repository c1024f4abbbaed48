"""Flag text kept as small integer codes until a table is made.

A cell's flags are its publisher's flag followed by the build's marks (``i`` imputed,
``h`` carried forward, ``o`` stale). There are few publisher flags and three marks, so
every text a build can write is one of ``(publisher flags + 1) x 2^3`` combinations:
each cell holds the number of its combination, and the text is written once per
combination, when a column is made (an Arrow dictionary cast, not one Python string
per cell).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["FlagCodes", "flag_codes"]


@dataclass(frozen=True)
class FlagCodes:
    """The flags of a ``rows x indicators`` table as codes into ``texts``.

    ``codes`` holds one code per cell; ``texts[code]`` is its text; code 0 is always
    the empty text (no flag, no mark).
    """

    codes: NDArray[np.int64]
    texts: tuple[str, ...]

    def column(self, codes: NDArray[np.int64]) -> Any:
        """The text of ``codes`` as a column of the ``str`` dtype.

        >>> FlagCodes(np.zeros((1, 1), dtype=np.int64), ("", "i")).column(
        ...     np.array([1, 0, 1])).tolist()
        ['i', '', 'i']
        """
        dtype = pd.array([], dtype="str").dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            import pyarrow as pa

            words = pa.array(self.texts, type=pa.large_string())
            coded = pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int64()), words)
            return pd.array(coded.cast(pa.large_string()), dtype=dtype)
        return pd.array(np.asarray(self.texts, dtype=object)[codes], dtype="str")

    def frame(self, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
        """The flags as a ``str`` table (one column per indicator): every cell's text
        is made in one column, column after column, which each indicator's column
        then views (no text made twice)."""
        rows = self.codes.shape[0]
        cells = self.column(self.codes.ravel(order="F"))
        data = {code: cells[j * rows : (j + 1) * rows] for j, code in enumerate(columns)}
        return pd.DataFrame(data, index=index, columns=columns)


def flag_codes(
    publisher: NDArray[np.int64],
    flags: Sequence[str],
    marks: Sequence[tuple[str, NDArray[np.bool_]]],
) -> FlagCodes:
    """The codes of ``publisher`` flags (positions in ``flags``, -1 for none) followed by
    each ``(letter, cells)`` mark, in order.

    >>> coded = flag_codes(np.array([[0, -1]]), ["e"], [("i", np.array([[True, True]]))])
    >>> [coded.texts[c] for c in coded.codes.ravel()]
    ['ei', 'i']
    """
    combinations = 1 << len(marks)
    bits = np.zeros(publisher.shape, dtype=np.int64)
    for k, (_, cells) in enumerate(marks):
        bits |= cells.astype(np.int64) << k
    texts = tuple(
        base + "".join(letter for k, (letter, _) in enumerate(marks) if combination >> k & 1)
        for base in ("", *flags)
        for combination in range(combinations)
    )
    return FlagCodes((publisher + 1) * combinations + bits, texts)

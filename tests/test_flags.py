"""Flag codes: every cell's text is its publisher flag followed by its marks, in order."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness_index.engine.flags import FlagCodes, flag_codes


def _naive(
    publisher: np.ndarray, flags: list[str], marks: list[tuple[str, np.ndarray]]
) -> np.ndarray:
    """The texts built cell by cell, as strings."""
    text = np.array([[flags[p] if p >= 0 else "" for p in row] for row in publisher], dtype=object)
    for letter, cells in marks:
        text[cells] = text[cells] + letter
    return text


def test_codes_give_the_publisher_flag_then_the_marks_of_every_cell() -> None:
    rng = np.random.default_rng(7)
    flags = ["e", "b", "", "pe"]
    publisher = rng.integers(-1, len(flags), size=(40, 6))
    marks = [(letter, rng.random((40, 6)) < 0.3) for letter in "iho"]
    coded = flag_codes(publisher, flags, marks)
    texts = np.array(coded.texts, dtype=object)[coded.codes]
    assert (texts == _naive(publisher, flags, marks)).all()
    assert coded.texts[0] == ""


def test_a_column_and_a_frame_hold_the_texts_as_the_str_dtype() -> None:
    coded = FlagCodes(np.array([[0, 3], [2, 1]], dtype=np.int64), ("", "i", "e", "ei"))
    column = coded.column(np.array([3, 0, 1, 2]))
    expected = pd.array(["ei", "", "i", "e"], dtype="str")
    pd.testing.assert_extension_array_equal(column, expected)
    frame = coded.frame(pd.Index(["X", "Y"]), pd.Index(["a", "b"], name="indicator"))
    naive = pd.DataFrame(
        [["", "ei"], ["e", "i"]],
        index=pd.Index(["X", "Y"]),
        columns=pd.Index(["a", "b"], name="indicator"),
        dtype="str",
    )
    pd.testing.assert_frame_equal(frame, naive, check_exact=True)


def test_a_frame_equals_its_columns_made_one_by_one_at_any_shape() -> None:
    # the frame makes every text in one column and views it per indicator
    rng = np.random.default_rng(11)
    texts = ("", "i", "e", "ei")
    for rows, columns in [(5, 3), (0, 4), (7, 0), (1, 1), (300, 50)]:
        coded = FlagCodes(rng.integers(0, len(texts), size=(rows, columns)), texts)
        names = pd.Index([f"c{j}" for j in range(columns)])
        one_by_one = pd.DataFrame(
            {name: coded.column(coded.codes[:, j]) for j, name in enumerate(names)},
            index=pd.RangeIndex(rows),
            columns=names,
        )
        frame = coded.frame(pd.RangeIndex(rows), names)
        pd.testing.assert_frame_equal(frame, one_by_one, check_exact=True)

"""Safe YAML: alias bombs, duplicate keys, YAML 1.1 booleans, encodings, limits, and the
command line's last resort."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from readiness_index.cli.main import main
from readiness_index.errors import DefinitionError, MethodologyError, Reason
from readiness_index.io.files import load_framework, load_methodology
from readiness_index.io.safe_yaml import MAX_DEPTH, load_yaml, parse_yaml

#: "Billion laughs": nine aliases of nine aliases... (from the bad-input corpus).
LAUGHS = (
    Path(__file__).parent / "data" / "bad" / "corpus" / "fw_alias_bomb" / "framework.yaml"
).read_text()


def test_a_billion_laughs_is_refused_within_a_second(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(LAUGHS)
    start = time.perf_counter()
    with pytest.raises(DefinitionError, match="alias bomb is refused") as info:
        load_framework(bomb)
    assert time.perf_counter() - start < 1.0
    assert info.value.failures is not None
    assert info.value.failures["reason"].tolist() == [Reason.ALIAS_EXPANSION]
    with pytest.raises(MethodologyError, match="alias bomb"):
        load_methodology(bomb)


def test_small_aliases_are_fine() -> None:
    text = "base: &b {method: minmax}\nnormalise: *b\n"
    assert parse_yaml(text, "m.yaml", MethodologyError)["normalise"] == {"method": "minmax"}


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(DefinitionError, match=r"m.yaml, line 3: the key 'weight' appears more"):
        parse_yaml("code: a\nweight: 1\nweight: 2\n", "m.yaml", DefinitionError)


def test_yaml_11_booleans_stay_text() -> None:
    loaded = parse_yaml("a: yes\nb: on\nc: NO\nd: true\ne: 1_000\nf: 1e5\n", "x", DefinitionError)
    assert loaded == {"a": "yes", "b": "on", "c": "NO", "d": True, "e": 1000, "f": 1e5}


def test_yaml_11_numbers_are_read_as_yaml_12() -> None:
    text = "a: 1:30\nb: 010\nc: 0o17\nd: 0x1F\ne: 1_0.5\nf: +.5\ng: 190:20:30.15\n"
    loaded = parse_yaml(text, "x", DefinitionError)
    assert loaded == {"a": "1:30", "b": 10, "c": 15, "d": 31, "e": 10.5, "f": 0.5,
                      "g": "190:20:30.15"}  # fmt: skip


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN", "1e999"])
def test_non_finite_numbers_are_refused(value: str) -> None:
    with pytest.raises(DefinitionError, match="is not a finite number"):
        parse_yaml(f"weight: {value}\n", "x.yaml", DefinitionError)


def test_deep_nesting_is_refused() -> None:
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    with pytest.raises(DefinitionError, match=f"nests deeper than {MAX_DEPTH} levels"):
        parse_yaml(deep, "x.yaml", DefinitionError)


def test_latin1_framework_names_the_file_and_the_encoding(tmp_path: Path) -> None:
    file = tmp_path / "framework.yaml"
    file.write_bytes("index: {code: x, name: Österreich}\n".encode("latin-1"))
    with pytest.raises(DefinitionError) as info:
        load_framework(file)
    message = str(info.value)
    assert str(file) in message and "not UTF-8" in message and "Latin-1" in message
    assert "line 1, column 24" in message


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    file = tmp_path / "m.yaml"
    file.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml(file, MethodologyError) == {"a": 1}


def test_python_tags_are_refused() -> None:
    with pytest.raises(DefinitionError, match="not valid YAML"):
        parse_yaml("a: !!python/object/apply:os.system ['true']\n", "x", DefinitionError)


def _framework(tmp_path: Path, indicator: str) -> Path:
    file = tmp_path / "framework.yaml"
    file.write_text(
        "index: {code: idx, name: Index}\naggregates:\n  - {code: idx, name: Index}\n"
        f"indicators:\n  - {{code: a, name: A, parent: idx, {indicator}}}\n"
    )
    return file


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("direction: yes", "Input should be 1 or -1"),
        ("direction: true", "expected a number; found the boolean true"),
        ("weight: .inf", "is not a finite number"),
        ("weight: 1e308", "less than or equal to 1000000000"),
        ("weight: 0", "greater than 0"),
        ("weight: on", "valid number"),
        ("weight: -1", "greater than 0"),
    ],
)
def test_bad_numbers_in_a_framework(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        load_framework(_framework(tmp_path, entry))


def test_a_framework_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    lines = ["aggregates:", "  - {code: n0, name: N}"]
    lines += [f"  - {{code: n{i}, name: N, parent: n{i - 1}}}" for i in range(1, 2000)]
    lines += ["indicators:", "  - {code: leaf, name: L, parent: n1999}"]
    file = tmp_path / "deep.yaml"
    file.write_text("\n".join(lines) + "\n")
    with pytest.raises(DefinitionError, match="levels below the root") as info:
        load_framework(file)
    assert len(str(info.value)) < 20_000


def test_codes_differing_in_case_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "units.yaml"
    file.write_text(
        "aggregates:\n  - {code: idx, name: I}\nindicators:\n  - {code: a, name: A, parent: idx}\n"
        "units:\n  - {code: AT, name: Austria}\n  - {code: at, name: Austria}\n"
    )
    with pytest.raises(DefinitionError, match="differ only in case") as info:
        load_framework(file)
    assert info.value.failures is not None
    assert Reason.CODE_CASE in set(info.value.failures["reason"])


def test_messages_stay_short_for_huge_values(tmp_path: Path) -> None:
    file = _framework(tmp_path, "direction: " + "x" * 1_000_000)
    with pytest.raises(DefinitionError) as info:
        load_framework(file)
    assert len(str(info.value)) < 2000


# -- the command line's last resort ---------------------------------------------------------
def test_an_unexpected_error_is_a_message_with_a_debug_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    cli_main = sys.modules["readiness_index.cli.main"]

    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli_main, "load_inputs", explode)
    run = CliRunner().invoke(main, ["build"])
    assert run.exit_code == 1
    assert "Unexpected error (ZeroDivisionError): boom" in run.output
    assert "--debug" in run.output and "Traceback" not in run.output
    run = CliRunner().invoke(main, ["--debug", "build"])
    assert isinstance(run.exception, ZeroDivisionError)

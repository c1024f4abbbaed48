"""The README and the documentation pages run: every example in them is a test.

For each Markdown file (``README.md`` and ``docs/**/*.md``), in a fresh temporary
working folder, the fenced blocks run in the order they appear:

- a block with a title (```` ```yaml title="my_index/framework.yaml" ````) is written
  to that file, so that later examples can read it;
- every ```` ```python ```` block runs, the file's blocks in one namespace;
- every ```` ```bash ```` or ```` ```console ```` block whose first command is
  ``readiness-index`` runs each of its commands through the command line and must
  exit with status 0;
- a block after ``<!-- output-of: readiness-index ... -->`` is that command's
  output: the command runs and must print the block's text.

A block is left out only after a visible ``<!-- no-test: reason -->`` line. Every
methodology shown in a ```` ```yaml ```` block must be valid, the README's ranking must be
what ``ri.build().table()`` prints, and the README, the architecture page and the API
reference must show every package, import contract and public module.
"""

from __future__ import annotations

import difflib
import pkgutil
import re
import shlex
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import readiness_index as ri
from readiness_index.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
COMMAND = "readiness-index"
SHELLS = {"bash", "console", "shell", "sh"}

#: Files a page reads as the reader's own: COINr's ASEM example tables (never copied
#: into the project; the page is skipped with the reason where they are absent).
ASEM = ROOT.parent / "shared" / "reference" / "coinr_asem"
#: The README's commands run in a checkout of the repository, so they may name its files.
EXAMPLES = ROOT / "docs" / "examples"
INPUTS = {
    "docs/coinr.md": {"iData.csv": ASEM / "iData.csv", "iMeta.csv": ASEM / "iMeta.csv"},
    "README.md": {"docs/examples/uncertainty.yaml": EXAMPLES / "uncertainty.yaml"},
}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]+)"')
_MARKER = re.compile(r"^<!--\s*(?P<kind>no-test|output-of):\s*(?P<text>.*?)\s*-->$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page."""

    page: str
    line: int
    language: str
    title: str | None
    text: str
    marker: tuple[str, str] | None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def _marker(previous: str) -> tuple[str, str] | None:
    found = _MARKER.match(previous.strip())
    return None if found is None else (found["kind"], found["text"])


def _close(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the block opened at ``start``."""
    for i in range(start + 1, len(lines)):
        stripped = lines[i].strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            return i
    raise AssertionError(f"unclosed code block at line {start + 1}")


def _dedent(lines: list[str], indent: str) -> str:
    return "\n".join(x[len(indent) :] if x.startswith(indent) else x.lstrip() for x in lines)


def parse_blocks(text: str, page: str) -> list[Block]:
    """Every fenced block of a Markdown text, with its language, title and marker.

    >>> md = '<!-- no-test: slow -->\\n```bash title="x"\\nls\\n```\\n'
    >>> [(b.language, b.title, b.text, b.marker) for b in parse_blocks(md, "p.md")]
    [('bash', 'x', 'ls', ('no-test', 'slow'))]
    """
    lines = text.splitlines()
    blocks, i, previous = [], 0, ""
    while i < len(lines):
        opened = _FENCE.match(lines[i])
        if opened is None:
            previous = lines[i] if lines[i].strip() else previous
            i += 1
            continue
        end = _close(lines, i, opened["fence"])
        info = opened["info"].strip()
        title = _TITLE.search(info)
        blocks.append(
            Block(
                page=page,
                line=i + 1,
                language=info.split(" ")[0].lstrip(".").lower() if info else "",
                title=None if title is None else title["title"],
                text=_dedent(lines[i + 1 : end], opened["indent"]),
                marker=_marker(previous),
            )
        )
        i, previous = end + 1, ""
    return blocks


def shell_commands(text: str) -> list[list[str]]:
    """The commands of a shell block: continuation lines joined, prompts and comments
    dropped, each split as the shell would.

    >>> shell_commands("$ readiness-index build \\\\\\n    --year 2024  # a comment\\n")
    [['readiness-index', 'build', '--year', '2024']]
    """
    joined = re.sub(r"\\\n", " ", text)
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line.strip().removeprefix("$ "), comments=True)
        if words:
            commands.append(words)
    return commands


def _runs_commands(block: Block) -> bool:
    if block.language not in SHELLS:
        return False
    commands = shell_commands(block.text)
    return bool(commands) and commands[0][0] == COMMAND


def _page_blocks() -> Iterator[Any]:
    for path in PAGES:
        page = path.relative_to(ROOT).as_posix()
        blocks = parse_blocks(path.read_text(encoding="utf-8"), page)
        if any(b.language == "python" or _runs_commands(b) or b.marker for b in blocks):
            yield pytest.param(page, blocks, id=page)


def _invoke(command: list[str], where: str) -> str:
    assert command[0] == COMMAND, f"{where}: only {COMMAND} commands run here: {command}"
    done = CliRunner().invoke(main, command[1:], catch_exceptions=True)
    shown = f"{where}: `{shlex.join(command)}` exited {done.exit_code}:\n{done.output}"
    assert done.exception is None or isinstance(done.exception, SystemExit), shown
    assert done.exit_code == 0, shown
    return done.output


def _normalised(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _diff(shown: str, printed: str) -> str:
    lines = difflib.unified_diff(
        _normalised(shown).splitlines(), _normalised(printed).splitlines(),
        "on the page", "printed", lineterm="",
    )  # fmt: skip
    return "\n".join(lines)


def _run(block: Block, namespace: dict[str, Any]) -> None:
    if block.title is not None and block.language != "python":
        target = Path(block.title)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text + "\n", encoding="utf-8")
    elif block.language == "python":
        # Padded to the block's line, so that a traceback points into the page.
        source = "\n" * block.line + block.text
        exec(compile(source, str(ROOT / block.page), "exec"), namespace)
    elif _runs_commands(block):
        for command in shell_commands(block.text):
            _invoke(command, block.where)
    if block.marker is not None and block.marker[0] == "output-of":
        printed = _invoke(shell_commands(block.marker[1])[0], block.where)
        if _normalised(block.text) not in _normalised(printed):
            pytest.fail(
                f"{block.where}: the page shows output that `{block.marker[1]}` no longer "
                f"prints; update the page:\n{_diff(block.text, printed)}",
                pytrace=False,
            )


def _provide_inputs(page: str, folder: Path) -> None:
    for name, source in INPUTS.get(page, {}).items():
        if not source.exists():
            pytest.skip(f"{page} reads {name}, taken from {source}, which is absent")
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / name)


@pytest.mark.parametrize(("page", "blocks"), list(_page_blocks()))
def test_the_examples_of_a_page_run(
    page: str, blocks: list[Block], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _provide_inputs(page, tmp_path)
    namespace: dict[str, Any] = {"__name__": f"docs:{page}"}
    for block in blocks:
        if block.marker is not None and block.marker[0] == "no-test":
            continue
        _run(block, namespace)


def test_every_skipped_block_says_why() -> None:
    skipped = [
        b
        for path in PAGES
        for b in parse_blocks(path.read_text(encoding="utf-8"), path.name)
        if b.marker is not None and b.marker[0] == "no-test"
    ]
    assert all(b.marker is not None and b.marker[1] for b in skipped)
    assert len(skipped) <= 5, [b.where for b in skipped]


def test_the_readme_ranking_is_what_the_library_prints() -> None:
    readme = parse_blocks((ROOT / "README.md").read_text(encoding="utf-8"), "README.md")
    shown = [b for b in readme if b.marker == ("output-of", f"{COMMAND} build")]
    assert len(shown) == 1, "README.md shows the output of `readiness-index build` once"
    heading, table = shown[0].text.split("\n", 1)
    table = table.split("\n\n", 1)[0]  # the legend of stale values follows the table
    result = ri.build()
    printed = result.table().to_string(index=False)
    if _normalised(table) != _normalised(printed):
        pytest.fail(
            "README.md's ranking is not what ri.build().table() prints; update the README:\n"
            + _diff(table, printed),
            pytrace=False,
        )
    assert f"framework {result.framework_hash[:12]}, data {result.data_hash[:12]}" in heading


def _packages() -> list[str]:
    """The sub-packages and top-level modules of the package (``api.py``, ``cli/``...)."""
    package = ROOT / "readiness_index"
    folders = [f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").exists()]
    modules = [p.name for p in package.glob("*.py") if not p.name.startswith("_")]
    return sorted(folders + modules)


@pytest.mark.parametrize("page", ["README.md", "docs/architecture.md"])
def test_the_layout_shown_is_the_packages_layout(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    missing = [name for name in _packages() if f"  {name}" not in text]
    assert not missing, f"{page} does not show {missing} in its package diagram"


def test_the_architecture_page_names_every_import_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [n for n in names if n not in text] == []


def test_the_api_reference_shows_every_public_module() -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^::: (\S+)", text, flags=re.MULTILINE))
    modules = {
        m.name
        for m in pkgutil.walk_packages(ri.__path__, "readiness_index.")
        if not any(part.startswith("_") for part in m.name.split("."))
        and not m.ispkg
        and (not m.name.startswith("readiness_index.cli.") or m.name.endswith(".main"))
    }
    missing = sorted(modules - shown)
    assert not missing, f"add '::: <module>' for {missing} to docs/api.md"


def _methodology_snippets() -> Iterator[Any]:
    steps = set(ri.Methodology.model_fields)
    for path in PAGES:
        page = path.relative_to(ROOT).as_posix()
        for block in parse_blocks(path.read_text(encoding="utf-8"), page):
            if block.language != "yaml" or block.title is not None:
                continue
            entries = yaml.safe_load(block.text)
            if isinstance(entries, dict) and set(entries) <= steps:
                yield pytest.param(entries, id=block.where)


@pytest.mark.parametrize("entries", list(_methodology_snippets()))
def test_a_methodology_shown_on_a_page_is_valid(entries: dict[str, Any]) -> None:
    ri.Methodology.from_mapping(entries)

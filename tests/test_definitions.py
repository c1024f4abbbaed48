"""Framework definitions and their YAML files: rules, error messages, hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from readiness_index.errors import DataFileNotFoundError, DefinitionError
from readiness_index.io.files import load_framework
from readiness_index.model.framework import Aggregate, Framework, Indicator, Target

from .conftest import small_framework

BAD = Path(__file__).parent / "data" / "bad"


def test_levels_children_and_parents() -> None:
    fw = small_framework()
    assert fw.levels == {"a": 1, "b": 1, "c": 1, "d": 1, "p1": 2, "p2": 2, "index": 3}
    assert fw.children("p2") == ("c", "d")
    assert fw.parents("d") == ("p2", "index")
    assert fw.aggregate_codes == ("p1", "p2", "index")
    assert [node.code for _, node in fw.walk()] == ["index", "p1", "a", "b", "p2", "c", "d"]


def test_a_copy_with_other_nodes_navigates_its_own_tree() -> None:
    fw = small_framework()
    assert fw.children("p2") == ("c", "d") and fw.indicator_codes == ("a", "b", "c", "d")
    copy = fw.model_copy(update={"indicators": fw.indicators[:3]})  # c kept, d dropped
    assert copy.indicator_codes == ("a", "b", "c")
    assert copy.children("p2") == ("c",)
    assert "d" not in copy.levels and "d" not in copy.nodes
    assert copy.active().indicator_codes == ("a", "b", "c")
    assert fw.children("p2") == ("c", "d")  # the original is unchanged


def test_inactive_pillar_is_left_out() -> None:
    fw = small_framework()
    data = fw.model_dump()
    data["aggregates"][2]["active"] = False
    reduced = Framework.model_validate(data).active()
    assert reduced.indicator_codes == ("a", "b")
    assert reduced.children("index") == ("p1",)


def test_content_hash_is_stable_and_sensitive() -> None:
    fw = small_framework()
    assert fw.content_hash == small_framework().content_hash
    assert fw.with_weights({"a": 2}).content_hash != fw.content_hash


def test_models_are_frozen_and_forbid_unknown_keys() -> None:
    node = Indicator(code="a", name="A", parent="x")
    with pytest.raises(ValidationError):
        node.weight = 2  # type: ignore[misc]
    with pytest.raises(ValidationError, match=r"colour"):
        Indicator.model_validate({"code": "a", "name": "A", "colour": "red"})


def test_target_per_country() -> None:
    target = Target(value={"AT": 50.0}, year=2030)
    assert target.for_country("AT") == 50.0 and target.for_country("BE") is None


def test_yaml_errors_name_file_key_path_and_found_value() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_framework(BAD / "core_framework_direction.yaml")
    message = str(caught.value)
    assert "core_framework_direction.yaml (indicators[0].direction)" in message
    assert "'basic_skills'" in message and "found 2" in message
    assert "indicators[1].weight" in message and "greater than 0" in message
    assert "indicators[1].colour" in message
    assert len(caught.value.failures) == 3


def test_tree_errors_are_all_reported_at_once() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_framework(BAD / "core_framework_tree.yaml")
    message = str(caught.value)
    assert "code 'a' is defined more than once" in message
    assert "'orphan' names parent 'nowhere'" in message
    assert "denominator 'population'" in message
    assert "aggregate 'orphan' has no children" in message


def test_missing_framework_path() -> None:
    with pytest.raises(DataFileNotFoundError, match=r"does not exist"):
        load_framework(BAD / "nope.yaml")


def test_framework_from_several_files(tmp_path: Path) -> None:
    (tmp_path / "index.yaml").write_text(
        "index: {code: idx, name: My index}\naggregates:\n  - {code: idx, name: Index}\n"
    )
    (tmp_path / "pillar.yaml").write_text(
        "indicators:\n  - {code: a, name: A, parent: idx, direction: -1}\n"
    )
    fw = load_framework(tmp_path)
    assert fw.name == "My index" and fw.directions == {"a": -1}


def test_root_must_be_unique() -> None:
    with pytest.raises(ValidationError, match=r"exactly one root"):
        Framework(
            aggregates=(Aggregate(code="x", name="X"), Aggregate(code="y", name="Y")),
            indicators=(Indicator(code="a", name="A", parent="x"),),
        )


def test_declared_level_must_match_the_tree() -> None:
    with pytest.raises(
        ValidationError, match=r"'p' declares level 3, but the tree puts it at level 2"
    ):
        Framework(
            aggregates=(
                Aggregate(code="i", name="I"),
                Aggregate(code="p", name="P", parent="i", level=3),
            ),
            indicators=(Indicator(code="a", name="A", parent="p", level=1),),
        )

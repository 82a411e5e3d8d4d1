"""A scenario's YAML is measured before it is expanded (issue 14, items 1 and 9): alias bombs,
deep nesting and oversized lists are refused with a field-path message, and every shipped
persona file is well inside the limits."""

import pytest
import yaml

from app.adapters.persona_files.catalog import load_catalog
from app.adapters.persona_files.scenarios import (
    MAX_FACTS,
    CatalogError,
    dump_scenario_yaml,
    parse_scenario_yaml,
    scenario_to_dict,
)
from app.adapters.persona_files.yaml_limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_NODES,
    YamlTooComplexError,
    check_yaml_shape,
)
from tests.support.paths import PERSONAS


def alias_bomb(levels: int) -> str:
    """Each level lists the previous one ten times: 10**levels values from a few hundred bytes."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def plant_operators() -> dict[str, object]:
    catalog = load_catalog(PERSONAS)
    return scenario_to_dict(catalog.scenarios["plant-operators"])


def test_every_shipped_persona_file_is_within_the_limits() -> None:
    for path in sorted(PERSONAS.rglob("*.yaml")):
        check_yaml_shape(path.read_text(encoding="utf-8"))


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = alias_bomb(9)  # a billion values, 600 bytes
    assert len(bomb) < 2048
    with pytest.raises(YamlTooComplexError, match=f"more than {MAX_NODES} values"):
        check_yaml_shape(bomb)


def test_an_alias_bomb_scenario_gets_a_field_path_error() -> None:
    with pytest.raises(CatalogError) as refused:
        parse_scenario_yaml("id: bomb\n" + alias_bomb(9), source="scenario")
    assert refused.value.problems == (
        f"(top level): more than {MAX_NODES} values once aliases are expanded",
    )


def test_a_valid_scenario_whose_aliases_expand_to_thousands_of_facts_is_refused() -> None:
    data = plant_operators()
    facts = data["facts"]
    assert isinstance(facts, list)
    text = yaml.safe_dump({**data, "facts": []}, allow_unicode=True, sort_keys=False)
    fact = yaml.safe_dump(facts[0], allow_unicode=True, default_flow_style=True).strip()
    # 40 aliases of a list of 40 copies of one fact: 1,600 facts from one line each
    block = "pool: &pool [" + ", ".join([fact] * 40) + "]\n"
    many = "facts: [" + ", ".join(["*pool"] * 40) + "]\n"
    text = block + text.replace("facts: []\n", many)
    with pytest.raises(CatalogError) as refused:
        parse_scenario_yaml(text, source="scenario")
    assert "values" in refused.value.problems[0] or "facts" in refused.value.problems[0]


def test_more_facts_than_the_limit_are_refused_by_field() -> None:
    data = plant_operators()
    facts = data["facts"]
    assert isinstance(facts, list)
    extra = [{**facts[0], "id": f"fact-{n}"} for n in range(MAX_FACTS)]
    text = yaml.safe_dump({**data, "facts": [*facts, *extra]}, allow_unicode=True)
    with pytest.raises(CatalogError) as refused:
        parse_scenario_yaml(text, source="scenario")
    assert any(p.startswith("facts:") for p in refused.value.problems)


def test_too_many_aliases_are_refused() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(YamlTooComplexError, match="aliases"):
        check_yaml_shape(text)


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlTooComplexError, match="refers to itself"):
        check_yaml_shape("a: &a [1, *a]\n")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_deep_nesting_is_refused_without_recursion(depth: int) -> None:
    with pytest.raises(CatalogError) as refused:
        parse_scenario_yaml("id: " + "[" * depth + "]" * depth, source="scenario")
    assert "nested too deep" in refused.value.problems[0]


def test_more_than_one_document_is_refused() -> None:
    with pytest.raises(YamlTooComplexError, match="one YAML document"):
        check_yaml_shape("a: 1\n---\nb: 2\n")


def test_a_scenario_id_over_the_column_length_is_refused() -> None:
    scenario = load_catalog(PERSONAS).scenarios["plant-operators"]
    text = dump_scenario_yaml(scenario).replace("id: plant-operators", "id: " + "x" * 65, 1)
    with pytest.raises(CatalogError) as refused:
        parse_scenario_yaml(text, source="scenario")
    assert any(p.startswith("id:") for p in refused.value.problems)

"""The persona catalog: every shipped file loads, broken files name file and field, and an
authored scenario round-trips through YAML; shipped styles keep their style rules."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from app.adapters.persona_files.catalog import Catalog, load_catalog
from app.adapters.persona_files.scenarios import (
    CatalogError,
    dump_scenario_yaml,
    parse_scenario_yaml,
    parse_style_yaml,
    scenario_to_dict,
)
from app.domain.director import Director, RevealKind
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Gender
from app.domain.style import Reaction, StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.compose import split_sentences
from app.services.voice.scripted import ScriptedVoice
from tests.factories import COMMIT, OTHER, PITCH, RAPPORT, I, N, P, S, make_scenario
from tests.support.paths import PERSONAS


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(PERSONAS)


def test_every_shipped_style_loads(catalog: Catalog) -> None:
    assert set(catalog.styles) == set(StyleName)
    for name, style in catalog.styles.items():
        assert style.name is name
        for reaction in Reaction:
            phrases = style.phrases(reaction)
            assert phrases.en, (name, reaction)
            assert phrases.zh, (name, reaction)


def test_every_shipped_scenario_loads(catalog: Catalog) -> None:
    files = sorted(p.stem for p in (PERSONAS / "scenarios").glob("*.yaml"))
    assert sorted(catalog.scenarios) == files
    for scenario in catalog.scenarios.values():
        assert len(scenario.facts) >= 8
        assert len(scenario.problems) >= 3
        assert scenario.source == "file"


def test_shipped_scenarios_give_the_buyer_gender_and_form_of_address(catalog: Catalog) -> None:
    for scenario in catalog.scenarios.values():
        account = scenario.account
        assert account.gender is not Gender.UNSPECIFIED, scenario.id
        assert account.address is not None, scenario.id
    pharma = catalog.scenarios["pharma-key-account"].account
    assert (pharma.gender, pharma.form_of_address(Language.ZH)) == (Gender.FEMALE, "赵总")


def test_a_form_of_address_must_name_the_buyer() -> None:
    data = _scenario_data()
    account = data["account"]
    assert isinstance(account, dict)
    account["address"] = {"en": "Mr Wang", "zh": "王总"}  # the factory's buyer is Dana Li
    with pytest.raises(CatalogError) as caught:
        parse_scenario_yaml(yaml.safe_dump(data, allow_unicode=True), source="bad")
    assert "does not name 'Dana Li'" in str(caught.value)


def test_an_unknown_gender_is_refused() -> None:
    data = _scenario_data()
    account = data["account"]
    assert isinstance(account, dict)
    account["gender"] = "robot"
    with pytest.raises(CatalogError) as caught:
        parse_scenario_yaml(yaml.safe_dump(data, allow_unicode=True), source="bad")
    assert "account.gender" in str(caught.value)


def test_a_scenario_without_gender_still_loads_with_neutral_pronouns() -> None:
    data = _scenario_data()
    account = data["account"]
    assert isinstance(account, dict)
    account.pop("gender", None)
    account.pop("address", None)
    parsed = parse_scenario_yaml(yaml.safe_dump(data, allow_unicode=True), source="older")
    assert parsed.account.gender is Gender.UNSPECIFIED
    assert parsed.account.form_of_address(Language.EN) == "Dana Li"


def _scenario_data() -> dict[str, object]:
    return scenario_to_dict(make_scenario())


def _write(tmp_path: Path, data: object, name: str = "bank") -> Path:
    personas = tmp_path / "personas"
    (personas / "scenarios").mkdir(parents=True)
    (personas / "styles").mkdir()
    for style in (PERSONAS / "styles").glob("*.yaml"):
        (personas / "styles" / style.name).write_text(style.read_text("utf-8"), "utf-8")
    (personas / "lexicon.yaml").write_text((PERSONAS / "lexicon.yaml").read_text("utf-8"), "utf-8")
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    (personas / "scenarios" / f"{name}.yaml").write_text(text, "utf-8")
    return personas


def test_missing_field_error_names_file_and_path(tmp_path: Path) -> None:
    data = _scenario_data()
    data["id"] = "bank"
    problems = data["problems"]
    assert isinstance(problems, list)
    del problems[1]["implications"][0]["answer"]["zh"]
    with pytest.raises(CatalogError) as caught:
        load_catalog(_write(tmp_path, data))
    assert (
        "personas/scenarios/bank.yaml: problems.1.implications.0.answer.zh: field required"
        in str(caught.value)
    )


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    data = {**_scenario_data(), "id": "bank", "mood": "grumpy"}
    with pytest.raises(CatalogError, match=r"bank\.yaml: mood: extra inputs are not permitted"):
        load_catalog(_write(tmp_path, data))


def test_empty_variants_are_refused() -> None:
    data = _scenario_data()
    data["opening"] = {"en": ["Hello."], "zh": []}
    with pytest.raises(CatalogError, match=r"x\.yaml: opening\.zh: list should have at least 1"):
        parse_scenario_yaml(yaml.safe_dump(data), source="x.yaml")


@pytest.mark.parametrize(
    ("field", "keep", "path"),
    [("facts", 7, "facts"), ("problems", 2, "problems"), ("objections", 1, "objections")],
)
def test_too_few_items_are_refused(field: str, keep: int, path: str) -> None:
    data = _scenario_data()
    items = data[field]
    assert isinstance(items, list)
    data[field] = items[:keep]
    with pytest.raises(CatalogError, match=rf"s\.yaml: {path}: list should have at least"):
        parse_scenario_yaml(yaml.safe_dump(data), source="s.yaml")


def test_implication_without_needs_is_refused() -> None:
    data = _scenario_data()
    problems = data["problems"]
    assert isinstance(problems, list)
    problems[0]["implications"][1]["needs"] = []
    with pytest.raises(CatalogError, match=r"problems\.0\.implications\.1\.needs: list should"):
        parse_scenario_yaml(yaml.safe_dump(data), source="s.yaml")


def test_duplicate_ids_are_refused() -> None:
    data = _scenario_data()
    facts = data["facts"]
    assert isinstance(facts, list)
    facts[3]["id"] = "site-count"
    with pytest.raises(CatalogError, match=r"facts\.3\.id: duplicate id 'site-count'"):
        parse_scenario_yaml(yaml.safe_dump(data), source="s.yaml")


def test_id_must_match_file_name(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"bank\.yaml: id: 'test-plant' does not match"):
        load_catalog(_write(tmp_path, _scenario_data()))


def test_id_must_be_kebab_case() -> None:
    data = {**_scenario_data(), "id": "Test_Plant"}
    with pytest.raises(CatalogError, match="id: value error, 'Test_Plant' is not a lowercase"):
        parse_scenario_yaml(yaml.safe_dump(data), source="s.yaml")


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"personas/scenarios/bank\.yaml: invalid YAML"):
        load_catalog(_write(tmp_path, "id: [unclosed\n"))


def test_broken_style_names_file_and_field() -> None:
    text = (PERSONAS / "styles" / "driver.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    del data["phrasing"]["withdraw"]
    data["tuning"]["start_trust"] = 140
    with pytest.raises(CatalogError) as caught:
        parse_style_yaml(yaml.safe_dump(data), source="personas/styles/driver.yaml")
    message = str(caught.value)
    assert "personas/styles/driver.yaml: phrasing.withdraw: field required" in message
    assert "personas/styles/driver.yaml: tuning.start_trust: input should be less than" in message


def test_authored_scenario_round_trips_through_yaml() -> None:
    scenario = make_scenario()
    text = dump_scenario_yaml(scenario)
    parsed = parse_scenario_yaml(text, source="authored:test-plant")
    assert parsed == replace(scenario, source="authored")
    assert dump_scenario_yaml(parsed) == text


def test_shipped_scenarios_round_trip_through_yaml(catalog: Catalog) -> None:
    for scenario in catalog.scenarios.values():
        parsed = parse_scenario_yaml(dump_scenario_yaml(scenario), source=scenario.id)
        assert parsed == replace(scenario, source="authored")


# -- the shipped styles keep the style rules (SPIN.md §4) on the shipped scenarios -------


def _situation_questions(catalog: Catalog, scenario_id: str, language: Language) -> list[str]:
    """Situation questions built from each fact's first cue, one per fact."""
    facts = catalog.scenarios[scenario_id].facts
    return [f"{f.cues(language)[0]}?" for f in facts]


@pytest.mark.parametrize("language", [Language.EN, Language.ZH])
def test_shipped_driver_ends_call_after_a_run_of_situation_questions(
    catalog: Catalog, language: Language
) -> None:
    for scenario_id, scenario in catalog.scenarios.items():
        director = Director(scenario, catalog.styles[StyleName.DRIVER], language, catalog.lexicon)
        state = DiscoveryState()
        director.open(state)
        questions = _situation_questions(catalog, scenario_id, language)
        reactions = [
            director.direct(state, seq=n, text=q, label=S, seed=n).reaction
            for n, q in enumerate(questions[:5])
        ]
        assert reactions[2] is Reaction.IMPATIENT, scenario_id
        assert reactions[4] is Reaction.END_CALL, scenario_id
        analytical = Director(
            scenario, catalog.styles[StyleName.ANALYTICAL], language, catalog.lexicon
        )
        calm = DiscoveryState()
        analytical.open(calm)
        for n, q in enumerate(questions[:5]):
            analytical.direct(calm, seq=n, text=q, label=S, seed=n)
        assert not calm.ended_by_buyer


@pytest.mark.parametrize("language", [Language.EN, Language.ZH])
def test_shipped_styles_talk_twenty_turns_without_repeating(
    catalog: Catalog, language: Language
) -> None:
    voice = ScriptedVoice(catalog.styles)
    for scenario_id, scenario in catalog.scenarios.items():
        for style in StyleName:
            director = Director(scenario, catalog.styles[style], language, catalog.lexicon)
            state = DiscoveryState()
            first = director.open(state)
            turns = [Turn(0, Role.BUYER, voice.compose(first, []))]
            questions = _situation_questions(catalog, scenario_id, language)
            moves = [
                (questions[0], S),
                ("?", OTHER),
                ("!", RAPPORT),
                (questions[0], S),
                ("...", PITCH),
                ("~", OTHER),
                (questions[1], S),
                (".", COMMIT),
            ] * 3
            for text, lab in moves[:20]:
                if state.ended_by_buyer:
                    break
                seq = len(turns)
                turns.append(Turn(seq, Role.TRAINEE, text, label=lab))
                direction = director.direct(state, seq=seq, text=text, label=lab, seed=seq)
                turns.append(Turn(seq + 1, Role.BUYER, voice.compose(direction, turns)))
            said = [s for t in turns if t.role is Role.BUYER for s in split_sentences(t.text)]
            repeated = {s for s in said if said.count(s) > 1}
            assert repeated == set(), (scenario_id, style)
            locked = [
                line
                for problem in scenario.problems
                if problem.id not in state.problems
                for line in problem.answer(language)
            ]
            assert not any(line in " ".join(said) for line in locked), (scenario_id, style)


def test_shipped_hint_reveals_no_problem_details(catalog: Catalog) -> None:
    scenario = catalog.scenarios["plant-operators"]
    director = Director(scenario, catalog.styles[StyleName.AMIABLE], Language.EN, catalog.lexicon)
    state = DiscoveryState()
    director.open(state)
    direction = director.direct(state, seq=1, text="Lovely to meet you.", label=RAPPORT, seed=1)
    hints = [r for r in direction.reveals if r.kind is RevealKind.HINT]
    assert hints
    assert state.problems == {}


_TREE = (RevealKind.PROBLEM, RevealKind.IMPLICATION, RevealKind.NEED)


@pytest.mark.parametrize("language", [Language.EN, Language.ZH])
def test_shipped_example_questions_unlock_their_own_items(
    catalog: Catalog, language: Language
) -> None:
    """Each authored example question, asked once every problem is on the table (so no
    fallback helps), unlocks exactly its item: the cues and the matcher agree."""
    for scenario in catalog.scenarios.values():
        director = Director(
            scenario, catalog.styles[StyleName.ANALYTICAL], language, catalog.lexicon
        )
        state = DiscoveryState()
        director.open(state)
        steps = [(p.id, p.example_question(language), P) for p in scenario.problems]
        steps += [(i.id, i.example_question(language), I) for _, i in scenario.implications()]
        steps += [(n.id, n.example_question(language), N) for _, _, n in scenario.needs()]
        for seq, (item, question, lab) in enumerate(steps, start=1):
            direction = director.direct(state, seq=seq, text=question, label=lab, seed=seq)
            unlocked = [r.id for r in direction.reveals if r.kind in _TREE]
            assert unlocked == [item], (scenario.id, question)

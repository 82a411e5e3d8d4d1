from collections.abc import Iterator
from functools import cache

import pytest
import yaml

from app.domain.call.session import DrillKind
from app.domain.director.state import DiscoveryState
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.scenario import Bilingual
from app.domain.scorecard.card import score
from app.domain.scorecard.drill import score_drill
from app.domain.scorecard.feedback import explain, messages_from_mapping, placeholders, render
from app.domain.scorecard.finding import TERMS, Finding, FindingCode, term
from app.domain.scorecard.pitch_tags import Fab
from app.domain.scorecard.plan import score_plan
from app.domain.scorecard.rubric import Component, Part
from app.domain.scorecard.style_guess import DEFAULT_TELLS, judge_style_guess
from app.domain.style import StyleName
from app.domain.transcript import Role
from tests.domain.scorecard.scoring_fixtures import (
    bad_call,
    good_call,
    make_scoring_scenario,
    question,
)
from tests.support.paths import PERSONAS

CATALOGUE = PERSONAS / "feedback.yaml"


@cache
def _raw() -> dict[str, object]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _messages() -> dict[str, Bilingual]:
    return messages_from_mapping(_raw())


def _keys() -> list[str]:
    return [
        *(code.value for code in FindingCode),
        *TERMS,
        *(f"component.{c}" for c in Component),
        *(f"part.{p}" for p in Part),
    ]


@pytest.mark.parametrize("key", _keys())
def test_every_code_used_in_the_domain_has_english_and_chinese(key: str) -> None:
    entry = _raw().get(key)
    assert isinstance(entry, dict), f"{key} is missing from personas/feedback.yaml"
    assert str(entry.get("en", "")).strip()
    assert str(entry.get("zh", "")).strip()


def test_catalogue_holds_no_code_the_domain_does_not_know() -> None:
    assert set(_raw()) - set(_keys()) == set()


def test_vocabulary_covers_fab_tags_and_the_default_style_tells() -> None:
    for fab in Fab:
        assert term(fab) in TERMS
    for reaction in DEFAULT_TELLS:
        assert term(f"reaction.{reaction}") in TERMS


def test_both_languages_of_every_entry_use_the_same_placeholders() -> None:
    messages = _messages()
    for code, message in messages.items():
        assert placeholders(message.en) == placeholders(message.zh), code


def _findings() -> Iterator[Finding]:
    scenario = make_scoring_scenario()
    for language in Language:
        for call in (good_call(language), bad_call(language)):
            for style in (*StyleName, None):
                card = score(
                    transcript=call.transcript,
                    state=call.state,
                    scenario=scenario,
                    style=style,
                    language=language,
                )
                yield from card.findings
            real = score(
                transcript=call.transcript,
                state=DiscoveryState(),
                scenario=None,
                style=None,
                language=language,
            )
            yield from real.findings
            for actual in StyleName:
                yield from judge_style_guess(StyleName.DRIVER, actual, call.transcript).findings
            for kind in DrillKind:
                yield from score_drill(kind, call.transcript).findings
            plan = score_plan(
                [question(SpinLabel.SITUATION), question(SpinLabel.IMPLICATION)],
                call.transcript,
                texts=["How many plants do you run?", "What does that cost?"],
                scenario=scenario,
            )
            yield from plan.findings


def test_every_placeholder_a_finding_needs_is_among_its_params() -> None:
    messages = _messages()
    seen = set()
    for finding in _findings():
        seen.add(finding.code)
        needed = placeholders(messages[finding.code.value].en) - {"turns"}
        assert needed <= set(finding.params), finding.code
        if "turns" in placeholders(messages[finding.code.value].en):
            assert finding.seqs, f"{finding.code} names turns but points at none"
    assert len(seen) >= 40  # the sample calls exercise most of the catalogue


@pytest.mark.parametrize("language", list(Language))
def test_explain_renders_every_finding_and_tip_in_the_session_language(language: Language) -> None:
    bad = bad_call(language)
    card = score(
        transcript=bad.transcript,
        state=bad.state,
        scenario=make_scoring_scenario(),
        style=StyleName.DRIVER,
        language=language,
    )
    lines = explain(card, _messages(), language)
    assert len(lines) == len(card.findings) + 2 * len(card.coaching)
    assert all("{" not in line.text for line in lines)
    heavy = next(x for x in lines if x.code == FindingCode.MIX_SITUATION_HEAVY.value)
    assert heavy.seqs == tuple(bad.seqs[f"situation{i}"] for i in range(10))
    # Turn numbers shown to people count the trainee's own moves, from 1 (issue 11).
    first_pitch = next(x for x in lines if x.code == FindingCode.PITCHING_BEFORE_NEED.value)
    moves = [t.seq for t in bad.transcript if t.role is Role.TRAINEE]
    number = moves.index(bad.seqs["pitch1"]) + 1
    assert f"{number}" in first_pitch.text
    assert number != bad.seqs["pitch1"] + 1
    better = [x for x in lines if x.code == FindingCode.COACHING_TRY_INSTEAD.value]
    example = make_scoring_scenario().problems[0].example_question(language)
    assert better
    assert all(example in x.text for x in better)
    if language is Language.ZH:
        assert "难点问题" in better[0].text
        assert "产品特征" in first_pitch.text
    else:
        assert "problem question" in better[0].text
        assert "feature" in first_pitch.text


def test_render_fills_terms_in_the_readers_language_and_tolerates_unknown_ones() -> None:
    messages = {
        "x": Bilingual("{style} at {turns}", "{style}，第{turns}轮"),
        "term.driver": Bilingual("driver", "推动型"),
    }
    assert render("x", {"style": "term.driver", "turns": "3"}, messages, Language.ZH) == (
        "推动型，第3轮"
    )
    assert render("x", {"style": "term.reaction.sigh"}, messages, Language.EN) == "sigh at {turns}"
    assert render("missing", {}, messages, Language.EN) == "missing"


def test_catalogue_validation_names_the_broken_code() -> None:
    with pytest.raises(ValueError, match="broken"):
        messages_from_mapping({"broken": {"en": "Hello"}})
    with pytest.raises(ValueError, match="mismatched"):
        messages_from_mapping({"mismatched": {"en": "{a}", "zh": "{b}"}})


@pytest.mark.parametrize("code", list(FindingCode))
def test_every_code_belongs_to_a_section_named_by_its_prefix(code: FindingCode) -> None:
    assert Finding(code).section.value == code.value.split(".", 1)[0]

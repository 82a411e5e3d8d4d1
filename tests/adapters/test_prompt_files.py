"""Every prompt renders with representative inputs; a missing variable is an error."""

import jinja2
import pytest

from app.adapters.prompt_files import FilePromptLibrary
from tests.support.paths import PROMPTS

PERSONA = {
    "style": "driver",
    "style_label": "Driver",
    "style_description": "Decisive.",
    "pace": "fast",
    "buyer_name": "Chen",
    "role": "Plant manager",
    "company": "Acme",
    "industry": "Parts",
    "product": "Controls",
    "values": ["results"],
    "irritants": ["small talk"],
    "under_stress": "gets autocratic",
    "gender": "female",
    "address": "Ms Chen",
}
REPLY = {
    "persona": PERSONA,
    "stance": "guarded",
    "patience": 50,
    "trust": 40,
    "reaction": "acknowledge",
    "aside": None,
    "reveals": [{"kind": "fact", "lines": ["We run 14 cells."]}],
    "known": ["We have 38 operators."],
    "max_sentences": 2,
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_buyer_reply_renders_persona_and_only_given_content(language: str) -> None:
    text = FilePromptLibrary(PROMPTS).render(f"buyer_reply.{language}", REPLY)
    assert "We run 14 cells." in text
    assert "We have 38 operators." in text
    assert "Chen" in text
    assert "results" in text


@pytest.mark.parametrize(("language", "said"), [("en", "a woman"), ("zh", "女性")])
def test_buyer_reply_gives_gender_and_form_of_address(language: str, said: str) -> None:
    text = FilePromptLibrary(PROMPTS).render(f"buyer_reply.{language}", REPLY)
    assert said in text
    assert "Ms Chen" in text
    neutral = {**REPLY, "persona": {**PERSONA, "gender": "unspecified"}}
    assert "Ms Chen" not in FilePromptLibrary(PROMPTS).render(f"buyer_reply.{language}", neutral)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", ["figure", "name", "locked", "language", "length", "empty"])
def test_buyer_retry_names_the_violation(language: str, kind: str) -> None:
    text = FilePromptLibrary(PROMPTS).render(
        f"buyer_retry.{language}", {"kind": kind, "detail": "4711", "max_sentences": 2}
    )
    assert "2" in text
    assert ("4711" in text) is (kind in ("figure", "name", "length"))


def test_judge_prompt_renders_move_and_context() -> None:
    text = FilePromptLibrary(PROMPTS).render(
        "judge_move",
        {
            "move": "Budget?",
            "previous": ["Hi"],
            "buyer_said": "We are over budget.",
            "problem_on_table": True,
            "language": "en",
        },
    )
    assert "<<<Budget?>>>" in text
    assert "- Hi" in text
    assert "<<<We are over budget.>>>" in text


def test_missing_variable_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        FilePromptLibrary(PROMPTS).render("judge_move", {"move": "x"})


def test_fingerprint_is_short_and_stable() -> None:
    library = FilePromptLibrary(PROMPTS)
    assert library.fingerprint("judge_move") == library.fingerprint("judge_move")
    assert len(library.fingerprint("judge_move")) == 10

"""The scripted buyer reads like a person on the shipped scenarios and styles (issue 13): a
whole call with every scenario, style and language shows no repeated sentence and none of the
seams the glitch checker knows (stitched or stacked lead-ins, "as I said" before something
new, an opening glued to a reaction, a question after goodbye, a flourish after a fact, a tic
said twice, a wrong pronoun); two calls differ; the answer comes before anything volunteered."""

import pytest

from app.adapters.persona_files.catalog import load_catalog
from app.domain.director import Director
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from app.domain.voice.glitch import CallReader, GlitchKind, wrong_pronouns
from app.domain.voice.lead_in import split_sentences
from app.main import load_offline_parts
from app.services.simulation import Simulated, simulate
from app.services.voice.scripted import ScriptedVoice
from app.settings import Settings
from tests.support.paths import PERSONAS
from tests.support.voice_calls import moves_for

pytestmark = pytest.mark.anyio

PARTS = load_offline_parts(Settings(personas_dir=PERSONAS))
SCENARIOS = sorted(load_catalog(PERSONAS).scenarios)


async def play(scenario: Scenario, style: StyleName, language: Language, seed: int) -> Simulated:
    return simulate(
        moves_for(scenario, language),
        scenario=scenario,
        style=style,
        language=language,
        cast=PARTS.catalog.cast,
        classifier=PARTS.classifier,
        scoring=PARTS.scoring,
        seed=seed,
    )


def buyer(turns: list[Turn]) -> list[Turn]:
    return [t for t in turns if t.role is Role.BUYER]


@pytest.mark.parametrize("language", list(Language))
@pytest.mark.parametrize("style", list(StyleName))
@pytest.mark.parametrize("scenario_id", SCENARIOS)
async def test_a_whole_call_shows_no_seam(
    scenario_id: str, style: StyleName, language: Language
) -> None:
    scenario = PARTS.catalog.scenarios[scenario_id]
    result = await play(scenario, style, language, seed=5)
    reader = CallReader(scenario, PARTS.catalog.styles[style], language)
    glitches = reader.glitches(result.turns)
    assert [(g.kind.value, g.seq, g.text) for g in glitches] == []
    feedback = [line.text for line in PARTS.scoring.explain(result.scorecard)]
    assert wrong_pronouns(feedback, scenario.account.gender) == []


@pytest.mark.parametrize("language", list(Language))
async def test_two_calls_on_one_scenario_and_style_read_differently(language: Language) -> None:
    scenario = PARTS.catalog.scenarios["plant-operators"]
    for style in StyleName:
        first = await play(scenario, style, language, seed=11)
        second = await play(scenario, style, language, seed=29)
        said = {s for t in buyer(first.turns) for s in split_sentences(t.text)}
        again = [s for t in buyer(second.turns) for s in split_sentences(t.text)]
        assert sum(s not in said for s in again) / len(again) >= 0.5, style


async def test_the_opening_is_the_scenario_line_alone() -> None:
    for scenario_id in SCENARIOS:
        scenario = PARTS.catalog.scenarios[scenario_id]
        for style in StyleName:
            result = await play(scenario, style, Language.ZH, seed=3)
            assert result.turns[0].text in scenario.opening(Language.ZH)


async def test_a_goodbye_is_answered_with_a_farewell() -> None:
    scenario = PARTS.catalog.scenarios["plant-operators"]
    for style in StyleName:
        for language in Language:
            result = await play(scenario, style, language, seed=3)
            last = buyer(result.turns)[-1].text
            banks = PARTS.catalog.styles[style].voice
            assert banks is not None
            if not result.ended_by_buyer:
                said = split_sentences(last)
                assert any(last.endswith(f) for f in banks.farewell(language)), (style, said)


async def test_the_checker_catches_the_seams_the_issue_reported() -> None:
    """The checker itself: each seam of issue 13, written by hand, is found."""
    scenario = PARTS.catalog.scenarios["pharma-key-account"]
    analytical = CallReader(scenario, PARTS.catalog.styles[StyleName.ANALYTICAL], Language.EN)
    fact = scenario.facts[0].answer.en[0]
    seams = [
        Turn(0, Role.BUYER, scenario.opening.en[0] + " Shall we go through it in order?"),
        Turn(1, Role.TRAINEE, "Tell me about the teams."),
        Turn(2, Role.BUYER, "To be exact, " + fact),
        Turn(3, Role.TRAINEE, "And again?"),
        Turn(4, Role.BUYER, "As I mentioned earlier, " + fact[:1].lower() + fact[1:]),
        Turn(5, Role.TRAINEE, "Thanks for your time, goodbye."),
        Turn(6, Role.BUYER, "Thank you. Where were we?"),
    ]
    kinds = {g.kind for g in analytical.glitches(seams)}
    assert {GlitchKind.GLUED_OPENING, GlitchKind.REPEAT, GlitchKind.FAREWELL} <= kinds
    stitched = [
        Turn(0, Role.BUYER, scenario.opening.en[0]),
        Turn(2, Role.BUYER, "To be exact, Being able to plan helps."),
    ]
    assert GlitchKind.CAPITAL in {g.kind for g in analytical.glitches(stitched)}
    expressive = CallReader(scenario, PARTS.catalog.styles[StyleName.EXPRESSIVE], Language.ZH)
    stacked = [Turn(2, Role.BUYER, "我跟你直说吧，是啊，这个挺麻烦的。")]
    assert GlitchKind.STACKED in {g.kind for g in expressive.glitches(stacked)}
    new_fact = [Turn(2, Role.BUYER, "我跟你说过，" + scenario.facts[1].answer.zh[0])]
    assert GlitchKind.FALSE_RECALL in {g.kind for g in expressive.glitches(new_fact)}
    assert wrong_pronouns(["客户没有复述他的话。"], scenario.account.gender) != []


def test_a_drill_opens_with_the_problem_in_its_own_words() -> None:
    scenario = PARTS.catalog.scenarios["bank-vendor"]
    problem = scenario.problems[1]
    for style in StyleName:
        for language in Language:
            director = Director(
                scenario, PARTS.catalog.styles[style], language, PARTS.catalog.lexicon
            )
            opening = director.prepare_drill(DiscoveryState(), problem.id)
            said = ScriptedVoice(PARTS.catalog.styles).compose(opening, [])
            assert said in problem.answer(language), (style, language, said)

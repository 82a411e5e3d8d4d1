import pytest

from app.domain.director.state import DiscoveryState, Mood, Stance
from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.scorecard.card import score
from app.domain.scorecard.coaching import coach, next_step
from app.domain.scorecard.finding import FindingCode
from app.domain.scorecard.rubric import RUBRIC
from app.domain.style import StyleName
from tests.domain.scorecard.scoring_fixtures import (
    CallBuilder,
    bad_call,
    good_call,
    make_scoring_scenario,
    question,
    statement,
)

SCENARIO = make_scoring_scenario()
TURNOVER = SCENARIO.problems[0]
RETRAINING = TURNOVER.implications[0]
ONBOARDING = RETRAINING.needs[0]


@pytest.mark.parametrize("language", list(Language))
def test_three_weakest_turns_are_the_early_pitches_and_an_already_answered_situation_question(
    language: Language,
) -> None:
    bad = bad_call(language)
    tips = coach(transcript=bad.transcript, state=bad.state, scenario=SCENARIO, language=language)
    assert [t.seq for t in tips] == [bad.seqs["pitch1"], bad.seqs["pitch2"], bad.seqs["situation6"]]
    assert [t.code for t in tips] == [
        FindingCode.COACHING_PITCH_BEFORE_NEED,
        FindingCode.COACHING_PITCH_BEFORE_NEED,
        FindingCode.COACHING_SITUATION_ANSWERED,
    ]
    assert tips[0].severity == RUBRIC.weakness_pitch_before_need
    # Nothing was surfaced yet: the natural next step is a problem question, in the session's
    # language, from the scenario's authored examples.
    for tip in tips:
        assert tip.better is not None
        assert tip.better.label is SpinLabel.PROBLEM
        assert tip.better.text == TURNOVER.example_question(language)
        assert tip.better.target_id == TURNOVER.id


def test_good_call_gets_no_coaching_tip() -> None:
    good = good_call(Language.EN)
    tips = coach(
        transcript=good.transcript, state=good.state, scenario=SCENARIO, language=Language.EN
    )
    assert tips == []


def test_problem_question_while_a_surfaced_problem_waits_suggests_its_implication() -> None:
    c = CallBuilder()
    p1 = c.say("Is it hard to keep operators?", question(SpinLabel.PROBLEM, topics=[TURNOVER.id]))
    c.hear("Yes, they leave.", "connector")
    p2 = c.say(
        "Are you happy with how often the line stops?",
        question(SpinLabel.PROBLEM, topics=["unplanned-downtime"]),
    )
    c.hear("No, twice a month.", "connector")
    state = DiscoveryState(problems={TURNOVER.id: p1, "unplanned-downtime": p2})
    tips = coach(transcript=c.turns, state=state, scenario=SCENARIO, language=Language.ZH)
    assert len(tips) == 1
    assert tips[0].seq == p2
    assert tips[0].code is FindingCode.COACHING_PROBLEM_WHILE_WAITING
    assert tips[0].params == {"problem": "操作工流失"}
    assert tips[0].better is not None
    assert tips[0].better.label is SpinLabel.IMPLICATION
    assert tips[0].better.text == RETRAINING.example_question.zh


def test_unclosed_implication_chain_suggests_a_need_payoff_of_a_developed_implication() -> None:
    c = CallBuilder()
    p = c.say("Is it hard to keep operators?", question(SpinLabel.PROBLEM))
    c.hear("Yes.", "connector")
    i1 = c.say("What does retraining cost?", question(SpinLabel.IMPLICATION))
    c.hear("Forty thousand.", "connector")
    i2 = c.say("How many extra hours do seniors work?", question(SpinLabel.IMPLICATION))
    c.hear("Twelve a week.", "connector")
    state = DiscoveryState(
        problems={TURNOVER.id: p},
        implications={RETRAINING.id: i1, "senior-overtime": i2},
    )
    tips = coach(transcript=c.turns, state=state, scenario=SCENARIO, language=Language.EN)
    assert [(t.seq, t.code) for t in tips] == [(i2, FindingCode.COACHING_UNCLOSED_CHAIN)]
    assert tips[0].params == {"count": 2}
    assert tips[0].better is not None
    assert tips[0].better.label is SpinLabel.NEED_PAYOFF
    assert tips[0].better.text == ONBOARDING.example_question.en


def test_situation_question_the_buyer_resented_is_a_weak_turn() -> None:
    c = CallBuilder()
    s1 = c.say("How many plants?", question(SpinLabel.SITUATION))
    c.hear("Three.")
    s2 = c.say("Which control system do you use?", question(SpinLabel.SITUATION))
    c.hear("Does it matter?")
    s3 = c.say("What shift pattern?", question(SpinLabel.SITUATION))
    c.hear("Get to the point.", "impatient")
    state = DiscoveryState(
        moods=[
            Mood(s1, Stance.GUARDED, 60, 40),
            Mood(s2, Stance.GUARDED, 50, 40),
            Mood(s3, Stance.IMPATIENT, 40, 40),
        ]
    )
    tips = coach(transcript=c.turns, state=state, scenario=SCENARIO, language=Language.EN)
    assert [(t.seq, t.code) for t in tips] == [
        (s2, FindingCode.COACHING_SITUATION_RESENTED),
        (s3, FindingCode.COACHING_SITUATION_RESENTED),
    ]


def test_already_covered_reaction_marks_a_situation_question_as_answered() -> None:
    c = CallBuilder()
    s = c.say("Tell me about your staffing again?", question(SpinLabel.SITUATION))
    c.hear("I told you that.", "already_covered")
    tips = coach(
        transcript=c.turns, state=DiscoveryState(), scenario=SCENARIO, language=Language.EN
    )
    assert [(t.seq, t.code) for t in tips] == [(s, FindingCode.COACHING_SITUATION_ANSWERED)]


def test_the_most_severe_weakness_of_a_turn_wins_and_only_three_turns_are_kept() -> None:
    c = CallBuilder()
    seqs = []
    for text in ("It can save money.", "It can cut time.", "It can help.", "It will help more."):
        seqs.append(c.say(text, statement(Move.PITCH)))
        c.hear("Hm.", "sceptical")
    close = c.say("Sign today and lock in the price.", statement(Move.COMMITMENT))
    c.hear("No.", "push_back")
    tips = coach(
        transcript=c.turns, state=DiscoveryState(), scenario=SCENARIO, language=Language.EN
    )
    assert [t.seq for t in tips] == seqs[:3]
    assert close not in [t.seq for t in tips]


def test_real_call_coaching_explains_without_a_better_question() -> None:
    bad = bad_call(Language.EN)
    tips = coach(
        transcript=bad.transcript, state=DiscoveryState(), scenario=None, language=Language.EN
    )
    assert [(t.seq, t.code) for t in tips] == [
        (bad.seqs["pitch1"], FindingCode.COACHING_PITCH_BEFORE_NEED),
        (bad.seqs["pitch2"], FindingCode.COACHING_PITCH_BEFORE_NEED),
        (bad.seqs["continuation"], FindingCode.COACHING_EARLY_COMMITMENT),
    ]
    assert all(t.better is None for t in tips)


def test_next_step_after_the_need_moves_to_the_next_undeveloped_implication() -> None:
    state = DiscoveryState(
        problems={TURNOVER.id: 1}, implications={RETRAINING.id: 3}, needs={ONBOARDING.id: 5}
    )
    step = next_step(SCENARIO, state, seq=7, language=Language.EN)
    assert step is not None
    assert step.label is SpinLabel.IMPLICATION
    assert step.target_id == "senior-overtime"
    exhausted = DiscoveryState(
        problems={p.id: 0 for p in SCENARIO.problems},
        implications={i.id: 1 for _, i in SCENARIO.implications()},
        needs={n.id: 2 for _, _, n in SCENARIO.needs()},
    )
    assert next_step(SCENARIO, exhausted, seq=9, language=Language.EN) is None


def test_scorecard_carries_the_coaching_tips() -> None:
    bad = bad_call(Language.ZH)
    card = score(
        transcript=bad.transcript,
        state=bad.state,
        scenario=SCENARIO,
        style=StyleName.DRIVER,
        language=Language.ZH,
    )
    assert [t.seq for t in card.coaching] == [
        bad.seqs["pitch1"],
        bad.seqs["pitch2"],
        bad.seqs["situation6"],
    ]
    assert card.coaching[0].better is not None
    assert card.coaching[0].better.text == "留住熟练操作工难吗？"


def test_implication_and_need_payoff_on_a_problem_never_admitted_are_weak_turns() -> None:
    c = CallBuilder()
    c.say("Thanks for your time.", statement(Move.RAPPORT))
    c.hear("Of course.", "greeting")
    p = c.say("How satisfied are you with how long operators stay?", question(SpinLabel.PROBLEM))
    c.hear("I wouldn't want to complain.", "hold_back")
    i = c.say("What does each leaver cost you?", question(SpinLabel.IMPLICATION))
    c.hear("I didn't mean it was a problem.", "not_an_issue")
    n = c.say(
        "If new hires were productive in two weeks, how would that help?",
        question(SpinLabel.NEED_PAYOFF),
    )
    c.hear("It could help, possibly.", "lukewarm")
    tips = coach(
        transcript=c.turns, state=DiscoveryState(), scenario=SCENARIO, language=Language.EN
    )
    assert [(t.seq, t.code) for t in tips] == [
        (i, FindingCode.COACHING_IMPLICATION_UNADMITTED),
        (n, FindingCode.COACHING_PREMATURE_NEED_PAYOFF),
    ]
    # Nothing was admitted: a problem question is the natural next step.
    assert all(t.better is not None and t.better.label is SpinLabel.PROBLEM for t in tips)
    assert p not in [t.seq for t in tips]


def test_need_payoff_after_an_implication_question_the_buyer_never_answered_is_premature() -> None:
    c = CallBuilder()
    p = c.say("Is it hard to keep operators?", question(SpinLabel.PROBLEM))
    c.hear("Yes.", "connector")
    c.say("How does that affect you?", question(SpinLabel.IMPLICATION))
    c.hear("Not sure what you mean.", "unclear")
    n = c.say("How would faster onboarding help?", question(SpinLabel.NEED_PAYOFF))
    c.hear("Hard to say.", "deflect")
    state = DiscoveryState(problems={TURNOVER.id: p})
    tips = coach(transcript=c.turns, state=state, scenario=SCENARIO, language=Language.EN)
    assert [(t.seq, t.code) for t in tips] == [(n, FindingCode.COACHING_PREMATURE_NEED_PAYOFF)]
    assert tips[0].better is not None
    assert tips[0].better.text == RETRAINING.example_question.en


def test_next_step_before_any_problem_prefers_the_problem_the_move_touched() -> None:
    step = next_step(
        SCENARIO, DiscoveryState(), seq=3, language=Language.ZH, topics=["missed-deliveries"]
    )
    assert step is not None
    assert step.target_id == "unplanned-downtime"
    assert step.text == SCENARIO.problems[1].example_question.zh

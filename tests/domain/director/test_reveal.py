"""The director's reveal rules (SPIN.md §2): what each move unlocks, objections, advances,
outcomes, and what reaches a voice."""

import json

import pytest

from app.domain.codec import from_plain, to_plain
from app.domain.director import Director, RevealKind
from app.domain.director.state import DiscoveryState, Outcome
from app.domain.language import Language
from app.domain.style import Reaction, StyleName
from tests.domain.director.moves import (
    EN,
    SITUATION_RUN,
    TEXT,
    ZH,
    Moves,
    all_needs,
    call,
    t,
)
from tests.factories import (
    COMMIT,
    OTHER,
    PITCH,
    RAPPORT,
    I,
    N,
    P,
    S,
    make_lexicon,
    make_scenario,
    make_style,
)


def test_fact_revealed_on_situation_question_touching_its_cues(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("plants", lang), S)], language=lang)
    assert [r.id for r in d.reveals] == ["site-count"]
    assert state.facts == {"site-count": 1}
    assert d.reveals[0].lines[0] == ("We run three plants." if lang is EN else "我们有三个工厂。")


def test_situation_question_touching_nothing_gets_an_honest_non_answer(lang: Language) -> None:
    walls = {EN: "What colour are the walls in reception?", ZH: "前台的墙是什么颜色？"}[lang]
    state, (d,), _ = call(StyleName.DRIVER, [(walls, S)], language=lang)
    assert d.reveals == ()  # not the next facts in the file
    assert d.reaction is Reaction.DEFLECT
    assert state.facts == {}


def test_situation_question_gets_the_fact_it_asks_for_and_no_problem(lang: Language) -> None:
    count = {EN: "How many operators are on the payroll?", ZH: "操作工一共有多少人？"}[lang]
    state, (d,), _ = call(StyleName.DRIVER, [(count, S)], language=lang)
    assert [r.id for r in d.reveals] == ["operator-count"]
    assert state.problems == {}


def test_a_situation_labelled_question_about_a_hidden_problem_is_answered_by_it(
    lang: Language,
) -> None:
    """No fact answers "do operators quit more than you'd like?": a buyer answers what
    was meant, whatever the label (issue 11)."""
    state, (d,), _ = call(StyleName.DRIVER, [(t("turnover", lang), S)], language=lang)
    assert [(r.kind, r.id) for r in d.reveals] == [(RevealKind.PROBLEM, "operator-turnover")]
    assert "operator-turnover" in state.problems


def test_problem_surfaces_on_problem_question_touching_its_topic(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("turnover", lang), P)], language=lang)
    assert [(r.kind, r.id) for r in d.reveals] == [(RevealKind.PROBLEM, "operator-turnover")]
    assert state.problems == {"operator-turnover": 1}
    assert "operator-turnover" in d.topics


def test_problem_question_about_an_area_with_no_difficulty_reveals_nothing(
    lang: Language,
) -> None:
    canteen = {EN: "Is the canteen food a headache for you?", ZH: "食堂的伙食让您头疼吗？"}[lang]
    state, (d,), _ = call(StyleName.DRIVER, [(canteen, P)], language=lang)
    assert state.problems == {}
    assert d.reveals == ()
    assert d.reaction is Reaction.NOT_AN_ISSUE


def test_small_talk_is_rapport_whatever_its_label(lang: Language) -> None:
    state, (d,), _ = call(StyleName.AMIABLE, [(t("weather", lang), P)], language=lang)
    # Nothing is unlocked; the warmed amiable buyer may only drop a hint (SPIN.md §4).
    assert {r.kind for r in d.reveals} <= {RevealKind.HINT}
    assert state.problems == {}
    assert state.rapport_moves == 1


def test_implication_question_about_an_unadmitted_problem_is_answered_with_the_problem(
    lang: Language,
) -> None:
    """Issue 11: the buyer answers the problem it was really asked about; the effects come
    when asked again, once it is on the table."""
    state, (before, after), _ = call(
        StyleName.DRIVER, [(t("retraining", lang), I), (t("retraining", lang), I)], language=lang
    )
    assert [(r.kind, r.id) for r in before.reveals] == [(RevealKind.PROBLEM, "operator-turnover")]
    assert state.implications == {"retraining-cost": 3}
    assert [r.id for r in after.reveals] == ["retraining-cost"]


def test_implication_matched_by_specific_cue_among_surfaced_problems(lang: Language) -> None:
    _, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("downtime", lang), P), (t("overtime", lang), I)],
        language=lang,
    )
    assert [r.id for r in directions[-1].reveals] == ["overtime-burnout"]


def test_vague_implication_develops_the_only_surfaced_problem(lang: Language) -> None:
    state, (_, first, second), _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("vague-impl", lang), I), (t("vague-impl", lang), I)],
        language=lang,
    )
    assert [r.id for r in first.reveals] == ["retraining-cost"]
    assert [r.id for r in second.reveals] == ["overtime-burnout"]
    assert set(state.implications) == {"retraining-cost", "overtime-burnout"}


def test_vague_implication_with_two_problems_surfaced_follows_the_latest(lang: Language) -> None:
    """Issue 11: "what does that lead to?" refers back to what was just said."""
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("downtime", lang), P), (t("vague-impl", lang), I)],
        language=lang,
    )
    assert len(state.problems) == 2
    assert [r.id for r in directions[-1].reveals] == ["late-deliveries"]


def test_vague_implication_with_nothing_to_refer_back_to_is_unclear(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("vague-impl", lang), I)], language=lang)
    assert d.reaction is Reaction.UNCLEAR
    assert d.reveals == ()
    assert state.implications == {}


def test_vague_need_payoff_follows_the_only_developed_implication(lang: Language) -> None:
    vague = {EN: "How would solving that help you?", ZH: "解决了这个，对您有什么好处？"}[lang]
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("retraining", lang), I), (vague, N)],
        language=lang,
    )
    assert [r.id for r in directions[-1].reveals] == ["faster-onboarding"]
    assert state.needs == {"faster-onboarding": 5}


def test_need_payoff_before_implication_is_lukewarm(lang: Language) -> None:
    state, (_, d), _ = call(
        StyleName.DRIVER, [(t("turnover", lang), P), (t("onboarding", lang), N)], language=lang
    )
    assert d.reaction is Reaction.LUKEWARM
    assert d.reveals == ()
    assert state.needs == {}


def test_need_becomes_explicit_after_its_implication(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("retraining", lang), I), (t("onboarding", lang), N)],
        language=lang,
    )
    assert [(r.kind, r.id) for r in directions[-1].reveals] == [
        (RevealKind.NEED, "faster-onboarding")
    ]
    assert state.needs == {"faster-onboarding": 5}
    assert state.outcome is Outcome.CONTINUATION


def test_pitch_before_need_draws_objections_recorded_at_buyer_turn(lang: Language) -> None:
    state, (first, second, third), _ = call(
        StyleName.DRIVER, [(t("pitch", lang), PITCH)] * 3, language=lang
    )
    assert state.pitches_before_need == [1, 3, 5]
    assert [(r.kind, r.id) for r in first.reveals] == [(RevealKind.OBJECTION, "too-early")]
    assert [r.id for r in second.reveals] == ["price"]
    assert third.reveals == ()
    assert third.reaction is Reaction.SCEPTICAL
    assert state.objections == [("too-early", 2), ("price", 4)]


def test_pitch_after_explicit_need_is_welcome(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [
            (t("turnover", lang), P),
            (t("retraining", lang), I),
            (t("onboarding", lang), N),
            (t("pitch", lang), PITCH),
        ],
        language=lang,
    )
    assert directions[-1].reaction is Reaction.RECEPTIVE
    assert state.pitches_before_need == []
    assert directions[-1].trust > directions[-2].trust


def test_close_before_any_need_draws_close_objection(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("sign", lang), COMMIT)], language=lang)
    assert [r.id for r in d.reveals] == ["no-rush"]
    assert d.reaction is Reaction.PUSH_BACK
    assert state.objections == [("no-rush", 2)]
    assert state.trust < make_style(StyleName.DRIVER).tuning.start_trust


def test_advance_deferred_without_explicit_need(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("pilot", lang), COMMIT)], language=lang)
    assert [r.kind for r in d.reveals] == [RevealKind.ADVANCE_DEFER]
    assert state.advance_proposed_at == 1
    assert not state.advance_accepted
    assert state.outcome is Outcome.CONTINUATION


def test_advance_accepted_after_explicit_need_with_trust(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [
            (t("turnover", lang), P),
            (t("retraining", lang), I),
            (t("onboarding", lang), N),
            (t("pilot", lang), COMMIT),
        ],
        language=lang,
    )
    assert [r.kind for r in directions[-1].reveals] == [RevealKind.ADVANCE_ACCEPT]
    assert state.advance_accepted
    assert state.outcome is Outcome.ADVANCE


def test_advance_deferred_when_trust_too_low(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [
            (t("turnover", lang), P),
            (t("retraining", lang), I),
            (t("onboarding", lang), N),
            (t("pilot", lang), COMMIT),
        ],
        language=lang,
        advance_trust=95,
    )
    assert directions[-1].reaction is Reaction.ADVANCE_DEFER
    assert state.outcome is Outcome.CONTINUATION


def test_order_only_after_accepted_advance_and_all_needs(lang: Language) -> None:
    early, _, _ = call(
        StyleName.DRIVER,
        [*all_needs(lang)[:3], (t("pilot", lang), COMMIT), (t("sign", lang), COMMIT)],
        language=lang,
    )
    assert early.outcome is Outcome.ADVANCE
    assert not early.order_accepted
    state, directions, _ = call(
        StyleName.DRIVER,
        [*all_needs(lang), (t("pilot", lang), COMMIT), (t("sign", lang), COMMIT)],
        language=lang,
    )
    assert len(state.needs) == 4
    assert directions[-1].reaction is Reaction.ORDER_ACCEPT
    assert state.outcome is Outcome.ORDER


def test_outcome_no_sale_when_only_facts_were_asked(lang: Language) -> None:
    state, _, _ = call(StyleName.AMIABLE, [(t("plants", lang), S)], language=lang)
    assert state.outcome is Outcome.NO_SALE


def test_known_holds_only_unlocked_content(lang: Language) -> None:
    _, directions, _ = call(
        StyleName.DRIVER, [(t("plants", lang), S), (t("turnover", lang), P)], language=lang
    )
    scenario = make_scenario()
    known = " ".join(directions[-1].known)
    assert scenario.facts[0].answer(lang)[0] in known
    assert scenario.problems[0].answer(lang)[0] in known
    for locked in (scenario.problems[1], scenario.problems[2]):
        assert locked.answer(lang)[0] not in known
        assert locked.hint(lang)[0] not in known
    for _, implication in scenario.implications():
        assert implication.answer(lang)[0] not in known


def test_known_topics_are_reported_for_the_label(lang: Language) -> None:
    _, (d,), _ = call(StyleName.DRIVER, [(t("downtime", lang), P)], language=lang)
    assert "unplanned-downtime" in d.topics
    _, (nothing,), _ = call(StyleName.DRIVER, [(t("weather", lang), OTHER)], language=lang)
    assert nothing.topics == ()


def test_persona_holds_no_locked_content(lang: Language) -> None:
    _, (d,), _ = call(StyleName.DRIVER, [(t("plants", lang), S)], language=lang)
    persona = (
        " ".join(str(value) for value in d.persona.__getstate__()) if False else repr(d.persona)
    )
    for problem in make_scenario().problems:
        assert problem.answer(lang)[0] not in persona
        assert problem.title(lang) not in persona
    assert d.persona.company == make_scenario().account.company(lang)


def test_prepare_drill_hands_a_problem_for_implication_practice(lang: Language) -> None:
    director = Director(make_scenario(), make_style(StyleName.AMIABLE), lang, make_lexicon())
    state = DiscoveryState()
    director.open(state)
    handed = director.prepare_drill(state, "unplanned-downtime")
    assert [(r.kind, r.id) for r in handed.reveals] == [(RevealKind.PROBLEM, "unplanned-downtime")]
    assert state.problems == {"unplanned-downtime": -1}
    assert state.handed_problems == ["unplanned-downtime"]
    d = director.direct(state, seq=1, text=t("vague-impl", lang), label=I, seed=1)
    assert [r.id for r in d.reveals] == ["late-deliveries"]


def test_prepare_drill_rejects_unknown_problem() -> None:
    director = Director(make_scenario(), make_style(), EN, make_lexicon())
    with pytest.raises(ValueError, match="no problem"):
        director.prepare_drill(DiscoveryState(), "nope")


def test_direction_is_deterministic_given_seed() -> None:
    moves: Moves = [(TEXT[k][EN], lab) for k, lab in [("plants", S), ("praise", RAPPORT)]] * 3
    first = call(StyleName.EXPRESSIVE, moves)
    second = call(StyleName.EXPRESSIVE, moves)
    assert first[1] == second[1]
    assert to_plain(first[0]) == to_plain(second[0])


def test_state_round_trips_after_a_call(lang: Language) -> None:
    state, _, _ = call(
        StyleName.AMIABLE,
        [(t("praise", lang), RAPPORT), (t("sign", lang), COMMIT), (t("pitch", lang), PITCH)],
        language=lang,
    )
    assert state.objections
    restored = from_plain(DiscoveryState, json.loads(json.dumps(to_plain(state))))
    assert restored == state
    assert restored.hints == state.hints


def test_every_move_records_a_mood_and_counts() -> None:
    state, directions, _ = call(
        StyleName.DRIVER, [(TEXT["plants"][EN], S), (TEXT["weather"][EN], OTHER)]
    )
    assert state.moves == 2
    assert [m.seq for m in state.moods] == [1, 3]
    assert state.moods[-1].patience == directions[-1].patience == state.patience


def test_asking_again_about_a_developed_implication_repeats_it(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("retraining", lang), I), (t("retraining", lang), I)],
        language=lang,
    )
    assert directions[-1].reaction is Reaction.ALREADY_COVERED
    assert [r.id for r in directions[-1].reveals] == ["retraining-cost"]
    assert state.implications == {"retraining-cost": 3}


def test_buyer_who_ended_the_call_stays_ended() -> None:
    moves = [(TEXT[k][EN], S) for k in SITUATION_RUN[:5]] + [(TEXT["turnover"][EN], P)]
    state, directions, _ = call(StyleName.DRIVER, moves)
    assert directions[-1].ends_call
    assert state.problems == {}
    assert state.ended_by_buyer

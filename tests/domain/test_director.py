"""The director's reveal rules (SPIN.md §2) and style rules (SPIN.md §4), in both languages."""

import json
from collections.abc import Sequence

import pytest

from app.domain.codec import from_plain, to_plain
from app.domain.director import Direction, Director, RevealKind
from app.domain.director.state import DiscoveryState, Outcome, Stance
from app.domain.labels import Label, SpinLabel
from app.domain.language import Language
from app.domain.style import Reaction, StyleName
from tests.factories import (
    COMMIT,
    OTHER,
    PITCH,
    RAPPORT,
    SUMMARY,
    I,
    N,
    P,
    S,
    label,
    make_scenario,
    make_style,
)

EN, ZH = Language.EN, Language.ZH
Moves = Sequence[tuple[str, Label]]

# The same call in both languages: problem question on turnover, implication on retraining,
# need-payoff on faster onboarding.
TEXT = {
    "plants": {EN: "How many plants do you run?", ZH: "你们有几个工厂？"},
    "shifts": {EN: "What shift pattern do you work?", ZH: "你们怎么排班？"},
    "machines": {EN: "When were the machines installed?", ZH: "设备是哪年安装的？"},
    "output": {EN: "What volume do you ship?", ZH: "每月出货多少？"},
    "software": {EN: "Which software schedules production?", ZH: "排产用什么软件？"},
    "turnover": {EN: "Do operators quit more often than you'd like?", ZH: "操作工离职多吗？"},
    "downtime": {EN: "How often do breakdowns stop the lines?", ZH: "设备故障多不多？"},
    "retraining": {
        EN: "What does retraining a replacement cost you?",
        ZH: "重新培训一个人要花多少成本？",
    },
    "overtime": {EN: "Does that push the others into overtime?", ZH: "这会导致其他人加班吗？"},
    "vague-impl": {EN: "And what does that lead to?", ZH: "那会导致什么后果？"},
    "onboarding": {
        EN: "If new hires got up to speed in weeks, how would that help?",
        ZH: "如果新人几周就能上手，对您有什么帮助？",
    },
    "weather": {EN: "Lovely weather we're having.", ZH: "今天天气不错。"},
    "pitch": {EN: "Our presses are the easiest to run.", ZH: "我们的设备最容易操作。"},
    "pilot": {EN: "Shall we run a pilot on one line?", ZH: "我们在一条线上试点怎么样？"},
    "sign": {EN: "Can you sign the order today?", ZH: "今天能签单吗？"},
    "praise": {EN: "Congratulations on the award, impressive work.", ZH: "恭喜获奖，真了不起。"},
}


def call(
    style: StyleName, moves: Moves, *, language: Language = EN, **tuning: int | bool
) -> tuple[DiscoveryState, list[Direction], Director]:
    director = Director(make_scenario(), make_style(style, **tuning), language)
    state = DiscoveryState()
    director.open(state)
    directions = [
        director.direct(state, seq=2 * n + 1, text=text, label=lab, seed=n)
        for n, (text, lab) in enumerate(moves)
    ]
    return state, directions, director


def t(key: str, language: Language) -> str:
    return TEXT[key][language]


@pytest.fixture(params=[EN, ZH], ids=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Language:
    value: Language = request.param
    return value


# -- reveal rules ----------------------------------------------------------------------


def test_fact_revealed_on_situation_question_touching_its_cues(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("plants", lang), S)], language=lang)
    assert [r.id for r in d.reveals] == ["site-count"]
    assert state.facts == {"site-count": 1}
    assert d.reveals[0].lines[0] == ("We run three plants." if lang is EN else "我们有三个工厂。")


def test_situation_question_touching_nothing_deflects(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("weather", lang), S)], language=lang)
    assert d.reveals == ()
    assert d.reaction is Reaction.DEFLECT
    assert state.facts == {}


def test_problem_stays_locked_on_situation_question_with_its_words(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("turnover", lang), S)], language=lang)
    assert "operator-turnover" not in state.problems
    assert all(r.kind is not RevealKind.PROBLEM for r in d.reveals)


def test_problem_surfaces_on_problem_question_touching_its_topic(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("turnover", lang), P)], language=lang)
    assert [(r.kind, r.id) for r in d.reveals] == [(RevealKind.PROBLEM, "operator-turnover")]
    assert state.problems == {"operator-turnover": 1}
    assert "operator-turnover" in d.topics


def test_problem_question_on_no_topic_reveals_nothing(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("weather", lang), P)], language=lang)
    assert state.problems == {}
    assert d.reveals == ()
    assert d.reaction is Reaction.DEFLECT


def test_implication_needs_its_problem_surfaced_first(lang: Language) -> None:
    state, (before, _, after), _ = call(
        StyleName.DRIVER,
        [(t("retraining", lang), I), (t("turnover", lang), P), (t("retraining", lang), I)],
        language=lang,
    )
    assert before.reaction is Reaction.NOT_AN_ISSUE
    assert before.reveals == ()
    assert [r.id for r in after.reveals] == ["retraining-cost"]
    assert state.implications == {"retraining-cost": 5}


def test_vague_implication_develops_the_only_surfaced_problem(lang: Language) -> None:
    state, (_, first, second), _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("vague-impl", lang), I), (t("vague-impl", lang), I)],
        language=lang,
    )
    assert [r.id for r in first.reveals] == ["retraining-cost"]
    assert [r.id for r in second.reveals] == ["overtime-burnout"]
    assert set(state.implications) == {"retraining-cost", "overtime-burnout"}


def test_vague_implication_with_two_problems_surfaced_is_unclear(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("downtime", lang), P), (t("vague-impl", lang), I)],
        language=lang,
    )
    assert len(state.problems) == 2
    assert directions[-1].reaction is Reaction.UNCLEAR
    assert state.implications == {}


def test_implication_matched_by_specific_cue_among_surfaced_problems(lang: Language) -> None:
    _, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("downtime", lang), P), (t("overtime", lang), I)],
        language=lang,
    )
    assert [r.id for r in directions[-1].reveals] == ["overtime-burnout"]


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


def _all_needs(lang: Language) -> list[tuple[str, Label]]:
    words = {
        EN: [
            ("Do operators quit?", P),
            ("What does retraining cost?", I),
            ("Would faster onboarding in weeks help?", N),
            ("Does it cause overtime?", I),
            ("Would a stable crew that cuts overtime help?", N),
            ("How often do breakdowns stop the line?", P),
            ("Do stoppages cause late deliveries and penalties?", I),
            ("Would an early warning from diagnostics help?", N),
            ("How much scrap do you have?", P),
            ("What does the scrap cost in material?", I),
            ("Would halving scrap be worth it?", N),
        ],
        ZH: [
            ("操作工离职多吗？", P),
            ("培训成本是多少？", I),
            ("如果几周就能上手，有帮助吗？", N),
            ("会导致加班吗？", I),
            ("如果队伍稳定、减少加班，会怎样？", N),
            ("设备故障多吗？", P),
            ("停机会导致交货延迟和罚款吗？", I),
            ("如果有诊断预警，会有帮助吗？", N),
            ("废品多吗？", P),
            ("废品造成多少材料损失？", I),
            ("如果废品减半会怎样？", N),
        ],
    }
    return words[lang]


def test_order_only_after_accepted_advance_and_all_needs(lang: Language) -> None:
    early, _, _ = call(
        StyleName.DRIVER,
        [*_all_needs(lang)[:3], (t("pilot", lang), COMMIT), (t("sign", lang), COMMIT)],
        language=lang,
    )
    assert early.outcome is Outcome.ADVANCE
    assert not early.order_accepted
    state, directions, _ = call(
        StyleName.DRIVER,
        [*_all_needs(lang), (t("pilot", lang), COMMIT), (t("sign", lang), COMMIT)],
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
    director = Director(make_scenario(), make_style(StyleName.AMIABLE), lang)
    state = DiscoveryState()
    director.open(state)
    handed = director.prepare_drill(state, "unplanned-downtime")
    assert [(r.kind, r.id) for r in handed.reveals] == [(RevealKind.PROBLEM, "unplanned-downtime")]
    assert state.problems == {"unplanned-downtime": -1}
    assert state.handed_problems == ["unplanned-downtime"]
    d = director.direct(state, seq=1, text=t("vague-impl", lang), label=I, seed=1)
    assert [r.id for r in d.reveals] == ["late-deliveries"]


def test_prepare_drill_rejects_unknown_problem() -> None:
    director = Director(make_scenario(), make_style(), EN)
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


def test_known_topics_are_reported_for_the_label(lang: Language) -> None:
    _, (d,), _ = call(StyleName.DRIVER, [(t("downtime", lang), P)], language=lang)
    assert "unplanned-downtime" in d.topics
    _, (nothing,), _ = call(StyleName.DRIVER, [(t("weather", lang), OTHER)], language=lang)
    assert nothing.topics == ()


# -- style rules -----------------------------------------------------------------------

SITUATION_RUN = ["plants", "shifts", "machines", "output", "software", "plants", "shifts"]


def _situation_run(style: StyleName, count: int, lang: Language) -> list[Direction]:
    _, directions, _ = call(style, [(t(k, lang), S) for k in SITUATION_RUN[:count]], language=lang)
    return directions


def test_driver_grows_impatient_after_three_situation_questions(lang: Language) -> None:
    directions = _situation_run(StyleName.DRIVER, 3, lang)
    assert [d.reaction is Reaction.IMPATIENT for d in directions] == [False, False, True]
    assert directions[-1].stance is Stance.IMPATIENT
    assert directions[0].patience > directions[-1].patience


def test_driver_ends_call_when_situation_questions_go_on(lang: Language) -> None:
    directions = _situation_run(StyleName.DRIVER, 5, lang)
    assert [d.ends_call for d in directions] == [False, False, False, False, True]
    assert directions[-1].reaction is Reaction.END_CALL
    assert directions[-1].outcome is Outcome.NO_SALE


def test_driver_streak_resets_after_a_problem_question(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [
            (t("plants", lang), S),
            (t("shifts", lang), S),
            (t("turnover", lang), P),
            (t("machines", lang), S),
            (t("output", lang), S),
        ],
        language=lang,
    )
    assert not any(d.reaction is Reaction.IMPATIENT for d in directions)
    assert state.situation_streak == 2


def test_analytical_tolerates_situation_runs_that_end_a_driver_call(lang: Language) -> None:
    directions = _situation_run(StyleName.ANALYTICAL, 6, lang)
    assert not any(d.ends_call or d.reaction is Reaction.IMPATIENT for d in directions)


def test_expressive_loses_interest_in_long_dry_runs(lang: Language) -> None:
    directions = _situation_run(StyleName.EXPRESSIVE, 7, lang)
    impatient = [d.reaction is Reaction.IMPATIENT for d in directions]
    assert impatient[:3] == [False, False, False]
    assert impatient[3]
    assert directions[-1].ends_call
    assert not any(d.ends_call for d in _situation_run(StyleName.AMIABLE, 7, lang))


def test_driver_loses_patience_over_small_talk_where_amiable_gains() -> None:
    driver, _, _ = call(StyleName.DRIVER, [(TEXT["weather"][EN], RAPPORT)])
    amiable, _, _ = call(StyleName.AMIABLE, [(TEXT["weather"][EN], RAPPORT)])
    assert driver.patience < make_style(StyleName.DRIVER).tuning.start_patience
    assert amiable.patience > make_style(StyleName.AMIABLE).tuning.start_patience
    assert amiable.trust - 40 > driver.trust - 35


def test_amiable_holds_back_problems_until_rapport(lang: Language) -> None:
    cold, (d,), _ = call(StyleName.AMIABLE, [(t("turnover", lang), P)], language=lang)
    assert d.reaction is Reaction.HOLD_BACK
    assert cold.problems == {}
    warm, directions, _ = call(
        StyleName.AMIABLE,
        [(t("weather", lang), RAPPORT), (t("praise", lang), RAPPORT), (t("turnover", lang), P)],
        language=lang,
    )
    assert "operator-turnover" in warm.problems
    assert directions[-1].reveals[0].kind is RevealKind.PROBLEM


def test_other_styles_admit_problems_without_rapport(lang: Language) -> None:
    for style in (StyleName.DRIVER, StyleName.ANALYTICAL, StyleName.EXPRESSIVE):
        state, _, _ = call(style, [(t("turnover", lang), P)], language=lang)
        assert "operator-turnover" in state.problems, style


def test_amiable_counts_gentle_open_questions_as_rapport(lang: Language) -> None:
    closed = label(SpinLabel.PROBLEM, is_open=False)
    gentle, _, _ = call(StyleName.AMIABLE, [(t("turnover", lang), P)] * 3, language=lang)
    blunt, _, _ = call(StyleName.AMIABLE, [(t("turnover", lang), closed)] * 3, language=lang)
    assert "operator-turnover" in gentle.problems
    assert blunt.problems == {}


def test_amiable_lets_a_problem_slip_as_a_hint_after_rapport(lang: Language) -> None:
    state, (d,), director = call(StyleName.AMIABLE, [(t("weather", lang), RAPPORT)], language=lang)
    hints = [r for r in d.reveals if r.kind is RevealKind.HINT]
    assert len(hints) == 1
    assert state.hints == {hints[0].id: 1}
    assert hints[0].id not in state.problems
    problem = next(p for p in make_scenario().problems if p.id == hints[0].id)
    assert all(problem.answer(lang)[0] not in line for line in hints[0].lines)
    assert problem.hint(lang)[0] in director.known(state)


def test_driver_gives_no_hint_for_small_talk(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("weather", lang), RAPPORT)], language=lang)
    assert state.hints == {}
    assert d.reaction is Reaction.BRUSH_OFF


def test_amiable_withdraws_under_hard_close(lang: Language) -> None:
    moves = [(t("weather", lang), RAPPORT), (t("praise", lang), RAPPORT), (t("sign", lang), COMMIT)]
    amiable, directions, _ = call(StyleName.AMIABLE, moves, language=lang)
    assert directions[-1].reaction is Reaction.WITHDRAW
    assert directions[-1].stance is Stance.GUARDED
    assert amiable.rapport_credit == 0
    assert directions[-2].trust - directions[-1].trust == 15
    _, more, _ = call(StyleName.AMIABLE, [*moves, (t("turnover", lang), P)], language=lang)
    assert more[-1].reaction is Reaction.HOLD_BACK  # it takes rapport again
    _, driver, _ = call(StyleName.DRIVER, moves, language=lang)
    assert driver[-1].reaction is Reaction.PUSH_BACK


def test_amiable_withdraws_after_repeated_pitching(lang: Language) -> None:
    _, directions, _ = call(StyleName.AMIABLE, [(t("pitch", lang), PITCH)] * 2, language=lang)
    assert [d.reaction for d in directions] == [Reaction.SCEPTICAL, Reaction.WITHDRAW]


def test_analytical_gives_fuller_answers_to_precise_questions(lang: Language) -> None:
    precise = {EN: "How many plants do you run, exactly?", ZH: "你们具体有多少个工厂？"}[lang]
    vague = {EN: "Tell me about your plants.", ZH: "介绍一下你们的工厂。"}[lang]
    _, (full,), _ = call(StyleName.ANALYTICAL, [(precise, S)], language=lang)
    _, (plain,), _ = call(StyleName.ANALYTICAL, [(vague, S)], language=lang)
    _, (driver,), _ = call(StyleName.DRIVER, [(precise, S)], language=lang)
    assert len(full.reveals) == 2
    assert len(plain.reveals) == len(driver.reveals) == 1
    assert full.max_sentences > plain.max_sentences
    assert full.trust > plain.trust


def test_analytical_asks_for_evidence_after_pitch(lang: Language) -> None:
    _, (analytical,), _ = call(StyleName.ANALYTICAL, [(t("pitch", lang), PITCH)], language=lang)
    _, (driver,), _ = call(StyleName.DRIVER, [(t("pitch", lang), PITCH)], language=lang)
    assert analytical.reaction is Reaction.EVIDENCE_REQUEST
    assert driver.reaction is Reaction.SCEPTICAL
    assert analytical.reveals[0].kind is RevealKind.OBJECTION


def test_expressive_warms_to_recognition_and_talks_vision(lang: Language) -> None:
    state, (d,), _ = call(StyleName.EXPRESSIVE, [(t("praise", lang), RAPPORT)], language=lang)
    plain, _, _ = call(StyleName.EXPRESSIVE, [(t("weather", lang), RAPPORT)], language=lang)
    assert d.aside is Reaction.VISION
    assert d.reaction is Reaction.WARM
    assert state.trust - plain.trust == 10
    assert d.stance is Stance.WARMING
    _, (analytical,), _ = call(StyleName.ANALYTICAL, [(t("praise", lang), RAPPORT)], language=lang)
    assert analytical.aside is None


def test_expressive_drifts_into_vision_on_ordinary_turns() -> None:
    moves: Moves = [(TEXT[k][EN], S) for k in ("plants", "shifts", "plants")] * 1
    drifted = sum(
        d.aside is Reaction.VISION
        for seed in range(12)
        for d in _seeded(StyleName.EXPRESSIVE, moves, seed)
    )
    steady = sum(
        d.aside is not None for seed in range(12) for d in _seeded(StyleName.DRIVER, moves, seed)
    )
    assert drifted >= 4
    assert steady == 0


def _seeded(style: StyleName, moves: Moves, seed: int) -> list[Direction]:
    director = Director(make_scenario(), make_style(style), EN)
    state = DiscoveryState()
    director.open(state)
    return [
        director.direct(state, seq=n, text=text, label=lab, seed=seed * 100 + n)
        for n, (text, lab) in enumerate(moves)
    ]


def test_summary_builds_trust_for_every_style() -> None:
    for style in StyleName:
        state, (d,), _ = call(style, [("So you run three plants.", SUMMARY)])
        assert d.reaction is Reaction.SUMMARY
        assert state.trust > make_style(style).tuning.start_trust


def test_buyer_who_ended_the_call_stays_ended() -> None:
    moves = [(TEXT[k][EN], S) for k in SITUATION_RUN[:5]] + [(TEXT["turnover"][EN], P)]
    state, directions, _ = call(StyleName.DRIVER, moves)
    assert directions[-1].ends_call
    assert state.problems == {}
    assert state.ended_by_buyer


def test_vague_need_payoff_follows_the_only_developed_implication(lang: Language) -> None:
    vague = {EN: "How would solving that help you?", ZH: "解决了这个，对您有什么好处？"}[lang]
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("retraining", lang), I), (vague, N)],
        language=lang,
    )
    assert [r.id for r in directions[-1].reveals] == ["faster-onboarding"]
    assert state.needs == {"faster-onboarding": 5}


def test_asking_again_about_a_developed_implication_repeats_it(lang: Language) -> None:
    state, directions, _ = call(
        StyleName.DRIVER,
        [(t("turnover", lang), P), (t("retraining", lang), I), (t("retraining", lang), I)],
        language=lang,
    )
    assert directions[-1].reaction is Reaction.ALREADY_COVERED
    assert [r.id for r in directions[-1].reveals] == ["retraining-cost"]
    assert state.implications == {"retraining-cost": 3}


def test_analytical_wants_two_explicit_needs_before_an_advance(lang: Language) -> None:
    one_need = [*_all_needs(lang)[:3], (t("pilot", lang), COMMIT)]
    two_needs = [*_all_needs(lang)[:5], (t("pilot", lang), COMMIT)]
    analytical_one, _, _ = call(StyleName.ANALYTICAL, one_need, language=lang)
    analytical_two, _, _ = call(StyleName.ANALYTICAL, two_needs, language=lang)
    driver_one, _, _ = call(StyleName.DRIVER, one_need, language=lang)
    assert not analytical_one.advance_accepted
    assert analytical_two.advance_accepted
    assert driver_one.advance_accepted


def test_analytical_adds_figures_to_precise_problem_questions(lang: Language) -> None:
    precise = {
        EN: "What percentage of operators quit each year?",
        ZH: "操作工每年离职的比例是多少？",
    }[lang]
    analytical, (full,), _ = call(StyleName.ANALYTICAL, [(precise, P)], language=lang)
    driver, (plain,), _ = call(StyleName.DRIVER, [(precise, P)], language=lang)
    assert [(r.kind, r.id) for r in full.reveals] == [
        (RevealKind.PROBLEM, "operator-turnover"),
        (RevealKind.FACT, "operator-count"),
    ]
    assert analytical.facts == {"operator-count": 1}
    assert [r.id for r in plain.reveals] == ["operator-turnover"]
    assert driver.facts == {}
    assert full.max_sentences > plain.max_sentences

"""How each social style reacts (SPIN.md §4): patience, rapport, hints, withdrawal, figures,
vision."""

from app.domain.director import RevealKind
from app.domain.director.state import Outcome, Stance
from app.domain.labels import SpinLabel
from app.domain.language import Language
from app.domain.style import Reaction, StyleName
from tests.domain.director.moves import (
    EN,
    TEXT,
    ZH,
    Moves,
    all_needs,
    call,
    seeded,
    situation_run,
    t,
)
from tests.factories import (
    COMMIT,
    PITCH,
    RAPPORT,
    SUMMARY,
    P,
    S,
    label,
    make_scenario,
    make_style,
)


def test_driver_grows_impatient_after_three_situation_questions(lang: Language) -> None:
    directions = situation_run(StyleName.DRIVER, 3, lang)
    assert [d.reaction is Reaction.IMPATIENT for d in directions] == [False, False, True]
    assert directions[-1].stance is Stance.IMPATIENT
    assert directions[0].patience > directions[-1].patience


def test_driver_ends_call_when_situation_questions_go_on(lang: Language) -> None:
    directions = situation_run(StyleName.DRIVER, 5, lang)
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


def test_driver_loses_patience_over_small_talk_where_amiable_gains() -> None:
    driver, _, _ = call(StyleName.DRIVER, [(TEXT["weather"][EN], RAPPORT)])
    amiable, _, _ = call(StyleName.AMIABLE, [(TEXT["weather"][EN], RAPPORT)])
    assert driver.patience < make_style(StyleName.DRIVER).tuning.start_patience
    assert amiable.patience > make_style(StyleName.AMIABLE).tuning.start_patience
    assert amiable.trust - 40 > driver.trust - 35


def test_driver_gives_no_hint_for_small_talk(lang: Language) -> None:
    state, (d,), _ = call(StyleName.DRIVER, [(t("weather", lang), RAPPORT)], language=lang)
    assert state.hints == {}
    assert d.reaction is Reaction.BRUSH_OFF


def test_analytical_tolerates_situation_runs_that_end_a_driver_call(lang: Language) -> None:
    directions = situation_run(StyleName.ANALYTICAL, 6, lang)
    assert not any(d.ends_call or d.reaction is Reaction.IMPATIENT for d in directions)


def test_analytical_gives_fuller_answers_to_precise_questions(lang: Language) -> None:
    # A precise question touching two facts: the analytical buyer gives both (never a fact
    # nobody asked about), a driver the one asked first.
    precise = {
        EN: "How many plants do you run, and on what shift pattern exactly?",
        ZH: "你们具体有多少个工厂，怎么排班？",
    }[lang]
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


def test_analytical_wants_two_explicit_needs_before_an_advance(lang: Language) -> None:
    one_need = [*all_needs(lang)[:3], (t("pilot", lang), COMMIT)]
    two_needs = [*all_needs(lang)[:5], (t("pilot", lang), COMMIT)]
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


def test_expressive_loses_interest_in_long_dry_runs(lang: Language) -> None:
    directions = situation_run(StyleName.EXPRESSIVE, 7, lang)
    impatient = [d.reaction is Reaction.IMPATIENT for d in directions]
    assert impatient[:3] == [False, False, False]
    assert impatient[3]
    assert directions[-1].ends_call
    assert not any(d.ends_call for d in situation_run(StyleName.AMIABLE, 7, lang))


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
        for d in seeded(StyleName.EXPRESSIVE, moves, seed)
    )
    steady = sum(
        d.aside is not None for seed in range(12) for d in seeded(StyleName.DRIVER, moves, seed)
    )
    assert drifted >= 4
    assert steady == 0


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


def test_other_styles_admit_problems_without_rapport(lang: Language) -> None:
    for style in (StyleName.DRIVER, StyleName.ANALYTICAL, StyleName.EXPRESSIVE):
        state, _, _ = call(style, [(t("turnover", lang), P)], language=lang)
        assert "operator-turnover" in state.problems, style


def test_summary_builds_trust_for_every_style() -> None:
    for style in StyleName:
        state, (d,), _ = call(style, [("So you run three plants.", SUMMARY)])
        assert d.reaction is Reaction.SUMMARY
        assert state.trust > make_style(style).tuning.start_trust

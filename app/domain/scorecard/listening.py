"""Listening: the seller's share of the talk (words in English, characters in Chinese), questions
per call and the longest trainee monologue (SPIN.md §3.11, context rather than Rackham)."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import MoveKind
from app.domain.language import Language
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part
from app.domain.text import count_units
from app.domain.transcript import Role, Turn


@dataclass(frozen=True, slots=True)
class ListeningReport:
    """`unit` is `words` (English sessions) or `characters` (Chinese); see `count_units`.
    `talk_share` is the trainee's share of all units (None for an empty call)."""

    unit: str
    trainee_units: int
    buyer_units: int
    talk_share: float | None
    questions: int
    question_seqs: tuple[int, ...]
    longest_monologue_units: int
    longest_monologue_seqs: tuple[int, ...]


def listening(transcript: Sequence[Turn], language: Language) -> ListeningReport:
    turns = sorted(transcript, key=lambda t: t.seq)
    trainee = sum(count_units(t.text) for t in turns if t.role is Role.TRAINEE)
    buyer = sum(count_units(t.text) for t in turns if t.role is Role.BUYER)
    questions = tuple(
        t.seq
        for t in turns
        if t.role is Role.TRAINEE and t.label is not None and t.label.kind is MoveKind.QUESTION
    )
    # A monologue is the trainee's consecutive turns with no buyer turn between them.
    best: tuple[int, tuple[int, ...]] = (0, ())
    run_units, run_seqs = 0, []
    for turn in turns:
        if turn.role is Role.TRAINEE:
            run_units += count_units(turn.text)
            run_seqs.append(turn.seq)
            if run_units > best[0]:
                best = (run_units, tuple(run_seqs))
        else:
            run_units, run_seqs = 0, []
    total = trainee + buyer
    return ListeningReport(
        unit="words" if language is Language.EN else "characters",
        trainee_units=trainee,
        buyer_units=buyer,
        talk_share=round(trainee / total, 4) if total else None,
        questions=len(questions),
        question_seqs=questions,
        longest_monologue_units=best[0],
        longest_monologue_seqs=best[1],
    )


def assess_listening(facts: CallFacts) -> Assessed[ListeningReport]:
    report = listening(facts.transcript, facts.language)
    transcript, rubric = facts.transcript, facts.rubric
    trainee_seqs = tuple(
        t.seq for t in sorted(transcript, key=lambda t: t.seq) if t.role is Role.TRAINEE
    )
    share = report.talk_share
    if share is None:
        credit = 0.0
    elif share <= rubric.talk_share_full:
        credit = 1.0
    elif share >= rubric.talk_share_zero:
        credit = 0.0
    else:
        credit = (rubric.talk_share_zero - share) / (
            rubric.talk_share_zero - rubric.talk_share_full
        )
    points = round(rubric.listening_points * credit, 2)
    parts = [ScorePart(Part.LISTENING_TALK, points, rubric.listening_points, trainee_seqs)]
    findings: list[Finding] = []
    words = report.unit == "words"
    if share is not None:
        findings.append(
            Finding(
                FindingCode.LISTENING_TALK_WORDS
                if words
                else FindingCode.LISTENING_TALK_CHARACTERS,
                trainee_seqs,
                {
                    "percent": round(100 * share),
                    "full": round(100 * rubric.talk_share_full),
                    "zero": round(100 * rubric.talk_share_zero),
                },
                round(points - rubric.listening_points, 2),
            )
        )
    low, high = rubric.questions_band
    findings.append(
        Finding(
            FindingCode.LISTENING_QUESTIONS,
            report.question_seqs,
            {"count": report.questions, "low": low, "high": high},
        )
    )
    if report.longest_monologue_seqs:
        findings.append(
            Finding(
                FindingCode.LISTENING_MONOLOGUE_WORDS
                if words
                else FindingCode.LISTENING_MONOLOGUE_CHARACTERS,
                report.longest_monologue_seqs,
                {"count": report.longest_monologue_units},
            )
        )
    score = component(Component.LISTENING, rubric.listening_points, parts)
    return Assessed(report, score, tuple(findings))

"""Drills: one behaviour at a time, at least three tries (SPIN.md §3.10). The buyer hands the
trainee a surfaced problem; the score counts only the drilled behaviour."""

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.call.session import DrillKind
from app.domain.labels import MoveKind
from app.domain.scorecard.finding import Finding, FindingCode, ParamValue, term
from app.domain.scorecard.moves import labelled_moves
from app.domain.scorecard.rubric import RUBRIC, Rubric
from app.domain.transcript import Turn


@dataclass(frozen=True, slots=True)
class DrillScore:
    """`attempts` are the trainee's questions; `hits` those labelled with the drilled label;
    `enough` says whether at least `min_tries` hits were made."""

    kind: DrillKind
    attempts: int
    hits: int
    hit_seqs: tuple[int, ...]
    miss_seqs: tuple[int, ...]
    min_tries: int
    enough: bool
    findings: tuple[Finding, ...]


def score_drill(
    kind: DrillKind, transcript: Sequence[Turn], *, rubric: Rubric = RUBRIC
) -> DrillScore:
    questions = [m for m in labelled_moves(transcript) if m.label.kind is MoveKind.QUESTION]
    hits = tuple(m.seq for m in questions if m.label.label is kind.label)
    misses = tuple(m.seq for m in questions if m.label.label is not kind.label)
    minimum = rubric.drill_min_tries
    params: dict[str, ParamValue] = {
        "label": term(kind.label),
        "hits": len(hits),
        "attempts": len(questions),
    }
    findings = [Finding(FindingCode.DRILL_RESULT, hits, params)]
    if len(hits) < minimum:
        findings.append(
            Finding(
                FindingCode.DRILL_TOO_FEW,
                misses,
                {"label": term(kind.label), "hits": len(hits), "minimum": minimum},
            )
        )
    return DrillScore(
        kind=kind,
        attempts=len(questions),
        hits=len(hits),
        hit_seqs=hits,
        miss_seqs=misses,
        min_tries=minimum,
        enough=len(hits) >= minimum,
        findings=tuple(findings),
    )

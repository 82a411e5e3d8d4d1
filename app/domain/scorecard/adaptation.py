"""Style adaptation: how the trainee's moves suited the buyer's social style (SPIN.md §4),
and the pressure moves (closing techniques, SPIN.md §3.7) that several checks share."""

from collections.abc import Sequence

from app.domain.labels import Move, SpinLabel
from app.domain.language import Language
from app.domain.move_cues import is_closing_technique, is_precise, is_recognition
from app.domain.scorecard.facts import Assessed, CallFacts
from app.domain.scorecard.finding import Finding, FindingCode
from app.domain.scorecard.moves import LabelledMove, buyer_reply
from app.domain.scorecard.points import ScorePart, component
from app.domain.scorecard.rubric import Component, Part, Rubric
from app.domain.style import Reaction, StyleName
from app.domain.text import count_units
from app.domain.transcript import Turn

_RESISTED = frozenset({Reaction.PUSH_BACK.value, Reaction.WITHDRAW.value})
_DEVELOPING = (SpinLabel.PROBLEM, SpinLabel.IMPLICATION, SpinLabel.NEED_PAYOFF)


def closing_seqs(moves: Sequence[LabelledMove], transcript: Sequence[Turn]) -> list[int]:
    """Moves that pressed for commitment (SPIN.md §3.7): a closing technique in the words of a
    statement or commitment (a SPIN question about contracts is not pressure), or a commitment
    move the buyer pushed back on or withdrew from."""
    found: list[int] = []
    for move in moves:
        if move.label.label is SpinLabel.OTHER and is_closing_technique(move.text):
            found.append(move.seq)
        elif move.label.move is Move.COMMITMENT:
            reply = buyer_reply(transcript, move.seq)
            if reply is not None and reply.reaction in _RESISTED:
                found.append(move.seq)
    return found


def _reaction(transcript: Sequence[Turn], seq: int) -> str | None:
    reply = buyer_reply(transcript, seq)
    return reply.reaction if reply is not None else None


def long_turn_limit(language: Language, rubric: Rubric) -> int:
    return rubric.long_turn_words if language is Language.EN else rubric.long_turn_chars


def _seqs(moves: Sequence[LabelledMove], *labels: SpinLabel) -> tuple[int, ...]:
    return tuple(m.seq for m in moves if m.label.label in labels)


def assess_style(
    facts: CallFacts, pitches_before_need: Sequence[int]
) -> Assessed[StyleName | None]:
    """How the moves suited the buyer's style: one finding per kind of miss for it, each
    costing `style_miss_penalty`. An unknown style (a real call) does not apply."""
    rubric = facts.rubric
    if facts.style is None:
        score = component(Component.STYLE, rubric.style_max, [], applicable=False)
        return Assessed(None, score, (Finding(FindingCode.STYLE_NOT_APPLICABLE),))
    check = _CHECKS[facts.style]
    findings = check(facts, pitches_before_need, -rubric.style_miss_penalty)
    earned = max(rubric.style_max + sum(f.points for f in findings), 0.0)
    part = ScorePart(Part.STYLE, earned, rubric.style_max)
    return Assessed(facts.style, component(Component.STYLE, rubric.style_max, [part]), findings)


def _driver(facts: CallFacts, _pitches: Sequence[int], cost: float) -> tuple[Finding, ...]:
    moves, rubric = facts.moves, facts.rubric
    findings = []
    situation = _seqs(moves, SpinLabel.SITUATION)
    asked = len(_seqs(moves, SpinLabel.SITUATION, *_DEVELOPING))
    if asked and len(situation) / asked > rubric.driver_situation_share_max:
        share = round(100 * len(situation) / asked)
        code = FindingCode.STYLE_DRIVER_SITUATION_HEAVY
        findings.append(Finding(code, situation, {"percent": share}, cost))
    limit = long_turn_limit(facts.language, rubric)
    long_turns = tuple(m.seq for m in moves if count_units(m.text) > limit)
    if long_turns:
        code = FindingCode.STYLE_DRIVER_LONG_TURNS
        findings.append(Finding(code, long_turns, {"limit": limit}, cost))
    return tuple(findings)


def _analytical(facts: CallFacts, pitches: Sequence[int], cost: float) -> tuple[Finding, ...]:
    findings = []
    developing = [m for m in facts.moves if m.label.label in _DEVELOPING]
    vague = tuple(m.seq for m in developing if not is_precise(m.text))
    if developing and len(vague) / len(developing) > facts.rubric.analytical_unquantified_share_max:
        findings.append(Finding(FindingCode.STYLE_ANALYTICAL_UNQUANTIFIED, vague, {}, cost))
    if pitches:
        code = FindingCode.STYLE_ANALYTICAL_PITCH_BEFORE_NEED
        findings.append(Finding(code, tuple(pitches), {}, cost))
    return tuple(findings)


def _amiable(facts: CallFacts, _pitches: Sequence[int], cost: float) -> tuple[Finding, ...]:
    moves, transcript = facts.moves, facts.transcript
    findings = []
    # Pressure: a closing technique, or any move the buyer withdrew from (an amiable goes
    # quiet under pressure, SPIN.md §4). A plain early proposal is coaching's business.
    withdrawn = [m.seq for m in moves if _reaction(transcript, m.seq) == Reaction.WITHDRAW]
    pressure = sorted(set(withdrawn) | set(closing_seqs(moves, transcript)))
    if pressure:
        findings.append(Finding(FindingCode.STYLE_AMIABLE_PRESSURE, tuple(pressure), {}, cost))
    first_probe = next((m.seq for m in moves if m.label.label in _DEVELOPING), None)
    rapport_before = [
        m.seq
        for m in moves
        if m.label.move is Move.RAPPORT and (first_probe is None or m.seq < first_probe)
    ]
    if not rapport_before:
        at = () if first_probe is None else (first_probe,)
        findings.append(Finding(FindingCode.STYLE_AMIABLE_NO_RAPPORT_FIRST, at, {}, cost))
    return tuple(findings)


def _expressive(facts: CallFacts, _pitches: Sequence[int], cost: float) -> tuple[Finding, ...]:
    findings = []
    if not _seqs(facts.moves, SpinLabel.NEED_PAYOFF):
        findings.append(Finding(FindingCode.STYLE_EXPRESSIVE_NO_VISION, (), {}, cost))
    recognised = [m for m in facts.moves if m.label.move is Move.SUMMARY or is_recognition(m.text)]
    if not recognised:
        findings.append(Finding(FindingCode.STYLE_EXPRESSIVE_NO_RECOGNITION, (), {}, cost))
    return tuple(findings)


_CHECKS = {
    StyleName.DRIVER: _driver,
    StyleName.ANALYTICAL: _analytical,
    StyleName.AMIABLE: _amiable,
    StyleName.EXPRESSIVE: _expressive,
}

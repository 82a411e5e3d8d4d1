"""Hidden-style mode: the trainee names the buyer's style at the end; we say whether they were
right and which buyer turns gave it away (issue 5, part 4; SPIN.md §4)."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from app.domain.scorecard.finding import Finding, FindingCode, term
from app.domain.style import Reaction, StyleName
from app.domain.transcript import Role, Turn

# Reactions only one style shows (SPIN.md §4). Keys are the director's reaction keys
# (app.domain.style.Reaction); pass another mapping to `judge_style_guess` if they change.
DEFAULT_TELLS: Mapping[str, StyleName] = MappingProxyType(
    {
        Reaction.IMPATIENT.value: StyleName.DRIVER,  # fast, wants the bottom line
        Reaction.BRUSH_OFF.value: StyleName.DRIVER,  # small talk unwelcome
        Reaction.EVIDENCE_REQUEST.value: StyleName.ANALYTICAL,  # wants proof and data
        Reaction.VISION.value: StyleName.EXPRESSIVE,  # big picture, where it wants to go
        Reaction.WARM.value: StyleName.AMIABLE,  # values relationships and harmony
        Reaction.WITHDRAW.value: StyleName.AMIABLE,  # under pressure gives in, goes quiet
    }
)
_SEPARATORS = re.compile(r"[.:/+,\s]+")


@dataclass(frozen=True, slots=True)
class StyleTell:
    seq: int  # the buyer turn
    reaction: str
    style: StyleName


@dataclass(frozen=True, slots=True)
class StyleGuessResult:
    guess: StyleName
    actual: StyleName
    correct: bool
    tells: tuple[StyleTell, ...]  # every buyer turn that showed a style-specific behaviour
    findings: tuple[Finding, ...]

    @property
    def giveaways(self) -> tuple[StyleTell, ...]:
        """The buyer turns that showed the actual style."""
        return tuple(t for t in self.tells if t.style is self.actual)


def tell_style(reaction: str, tells: Mapping[str, StyleName]) -> StyleName | None:
    """The style a reaction key betrays: the key itself, or one of its parts for composite
    keys (`driver.impatient`, `connector+vision`); a part naming a style counts as that style."""
    if reaction in tells:
        return tells[reaction]
    for part in _SEPARATORS.split(reaction):
        if part in tells:
            return tells[part]
        if part in StyleName.__members__.values():
            return StyleName(part)
    return None


def judge_style_guess(
    guess: StyleName,
    actual: StyleName,
    transcript: Sequence[Turn],
    *,
    tells: Mapping[str, StyleName] = DEFAULT_TELLS,
) -> StyleGuessResult:
    found: list[StyleTell] = []
    for turn in sorted(transcript, key=lambda t: t.seq):
        if turn.role is not Role.BUYER or not turn.reaction:
            continue
        style = tell_style(turn.reaction, tells)
        if style is not None:
            found.append(StyleTell(turn.seq, turn.reaction, style))
    correct = guess is actual
    verdict = FindingCode.STYLE_GUESS_RIGHT if correct else FindingCode.STYLE_GUESS_WRONG
    giveaways = [t for t in found if t.style is actual]
    findings = [
        Finding(
            verdict,
            tuple(t.seq for t in giveaways),
            {"guess": term(guess), "actual": term(actual)},
        )
    ]
    for tell in giveaways:
        reaction = term(f"reaction.{tell.reaction}")
        findings.append(
            Finding(
                FindingCode.STYLE_GUESS_TELL,
                (tell.seq,),
                {"style": term(actual), "reaction": reaction},
            )
        )
    if not giveaways:
        findings.append(Finding(FindingCode.STYLE_GUESS_NO_TELLS, (), {"actual": term(actual)}))
    return StyleGuessResult(guess, actual, correct, tuple(found), tuple(findings))

"""Rendering findings as sentences in the reader's language, from the message catalogue
(personas/feedback.yaml: code → {en, zh}, with `{param}` placeholders). Python holds only
codes and parameters; the words are data (STYLE.md §5)."""

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.language import Language
from app.domain.scenario import Bilingual
from app.domain.scorecard.card import Scorecard
from app.domain.scorecard.coaching import CoachingTip
from app.domain.scorecard.finding import Finding, FindingCode, ParamValue, Section, term
from app.domain.transcript import MoveNumbers

ALTERNATING = MoveNumbers()  # no transcript at hand: a live call's buyer/trainee alternation


@dataclass(frozen=True, slots=True)
class FeedbackLine:
    """One sentence for the reader; `seqs` are the turns it points at, `points` what the
    finding cost (0 when it only reports)."""

    section: Section
    code: str
    text: str
    seqs: tuple[int, ...]
    points: float


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(
    code: str,
    params: Mapping[str, ParamValue],
    messages: Mapping[str, Bilingual],
    language: Language,
) -> str:
    """One message with its placeholders filled. A parameter whose value is a catalogue key
    (`term.…`) is rendered in the reader's language; an unknown code renders as itself."""
    message = messages.get(code)
    if message is None:
        return code
    values = _Params()
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("term."):
            known = messages.get(value)
            values[key] = known(language) if known else value.rsplit(".", 1)[-1]
        else:
            values[key] = str(value)
    return message(language).format_map(values)


def turn_list(seqs: Iterable[int], language: Language, numbers: MoveNumbers = ALTERNATING) -> str:
    """Turn numbers as a reader writes a list of them: "3, 5" or "3、5", counting the
    trainee's own moves (`numbers`). The one rule for the API's feedback, the scorecard
    pages and the real-call analysis."""
    return numbers.text(seqs, ", " if language is Language.EN else "、")


def _turns(seqs: Sequence[int], numbers: MoveNumbers, language: Language) -> str:
    return turn_list(seqs, language, numbers)


def render_findings(
    findings: Iterable[Finding],
    messages: Mapping[str, Bilingual],
    language: Language,
    *,
    numbers: MoveNumbers = ALTERNATING,
) -> list[FeedbackLine]:
    """`{turns}` in a message lists the finding's turns as people count them (`numbers`)."""
    lines = []
    for finding in findings:
        params = {"turns": _turns(finding.seqs, numbers, language), **finding.params}
        text = render(finding.code.value, params, messages, language)
        lines.append(
            FeedbackLine(finding.section, finding.code.value, text, finding.seqs, finding.points)
        )
    return lines


def render_tip(
    tip: CoachingTip,
    messages: Mapping[str, Bilingual],
    language: Language,
    *,
    numbers: MoveNumbers = ALTERNATING,
) -> list[FeedbackLine]:
    """Why the turn was weak, then (when the scenario offers one) the better question."""
    params = {"turns": _turns((tip.seq,), numbers, language), **tip.params}
    lines = [
        FeedbackLine(
            Section.COACHING,
            tip.code.value,
            render(tip.code.value, params, messages, language),
            (tip.seq,),
            0.0,
        )
    ]
    if tip.better is not None:
        better_params: dict[str, ParamValue] = {
            "question": tip.better.text,
            "type": term(tip.better.label),
        }
        code = FindingCode.COACHING_TRY_INSTEAD.value
        text = render(code, better_params, messages, language)
        lines.append(FeedbackLine(Section.COACHING, code, text, (tip.seq,), 0.0))
    return lines


def explain(
    scorecard: Scorecard,
    messages: Mapping[str, Bilingual],
    language: Language,
) -> list[FeedbackLine]:
    """Every finding (the session's extras last), then the coaching tips, as sentences in
    `language`, turns numbered as the trainee counts them."""
    findings = (*scorecard.findings, *scorecard.extras.findings)
    numbers = scorecard.numbers
    lines = render_findings(findings, messages, language, numbers=numbers)
    for tip in scorecard.coaching:
        lines.extend(render_tip(tip, messages, language, numbers=numbers))
    return lines


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def messages_from_mapping(data: Mapping[str, object]) -> dict[str, Bilingual]:
    """Validate a parsed catalogue (code → {en, zh}); raises ValueError naming the code when a
    language is missing or empty, or when the two languages use different placeholders."""
    messages: dict[str, Bilingual] = {}
    for code, entry in data.items():
        if not isinstance(entry, Mapping):
            raise ValueError(f"feedback {code}: expected a mapping with en and zh")
        en, zh = entry.get("en"), entry.get("zh")
        if not isinstance(en, str) or not en.strip() or not isinstance(zh, str) or not zh.strip():
            raise ValueError(f"feedback {code}: needs a non-empty en and zh")
        if placeholders(en) != placeholders(zh):
            raise ValueError(f"feedback {code}: en and zh use different placeholders")
        messages[str(code)] = Bilingual(en=en, zh=zh)
    return messages

"""Composing the scripted buyer's words (DESIGN.md §2): the reply to a Direction from what the
director unlocked and the style's phrasing, seeded, never repeating a sentence of the call.
Pure; app/services/voice/scripted.py streams it."""

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.director import Direction, Reveal, RevealKind
from app.domain.language import Language
from app.domain.style import BuyerStyle, Reaction, StyleName
from app.domain.transcript import Role, Turn

_SENTENCE_END = re.compile(r"(?<=[.!?。！？…])[\"'”’)）]*\s*")
_SENTENCE_MARKS = (".", "!", "?", "。", "！", "？", "…")
_CHUNK_WORDS = 3  # words per streamed chunk (English)
_CHUNK_CHARS = 6  # characters per streamed chunk (Chinese)
# Reactions whose phrase closes the reply instead of opening it.
_TRAILING = frozenset({Reaction.GREETING, Reaction.END_CALL})
# Reactions that only lead into content: dropped first when the reply is too long.
_LEAD_ONLY = frozenset(
    {Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.ALREADY_COVERED, Reaction.HINT}
)
# Sentence starters that may be lowercased after a joining phrase ("As I said, we ...").
_LOWERABLE_TEXT = (
    "the we our it its that this there they their a an in on at about around most every each "
    "some yes no not right well so and but if when roughly usually all one two three four five "
    "six seven eight nine ten half only just frankly honestly last people staff nobody none "
    "several many few because since maybe perhaps probably"
)
_LOWERABLE = frozenset(_LOWERABLE_TEXT.split())


def split_sentences(text: str) -> list[str]:
    """Sentences as the no-repeat rule compares them (stripped, punctuation kept)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _join_into(joiner: str, text: str, language: Language) -> str:
    if language is Language.ZH:
        return joiner + text
    first, _, rest = text.partition(" ")
    if first.lower().strip(",.") in _LOWERABLE and first[:1].isupper() and first != "I":
        text = first[:1].lower() + first[1:] + (" " + rest if rest else "")
    return f"{joiner} {text}"


def _is_joiner(phrase: str) -> bool:
    """A phrase that opens a sentence rather than being one ("As I said,", "说实话，", "but")."""
    return not phrase.rstrip("\"'”’)）").endswith(_SENTENCE_MARKS)


def _has_own_lead(line: str, language: Language) -> bool:
    """Whether an authored line already opens with a short lead-in ("Between us, ...",
    "说实话，..."): a second joining phrase in front of it would read badly."""
    if language is Language.ZH:
        cut = line.find("，")
        return 0 < cut <= 4
    cut = line.find(",")
    return cut > 0 and len(line[:cut].split()) <= 3


@dataclass(slots=True)
class _Composer:
    """One reply being written: the sentences already said in the call are off limits."""

    style: BuyerStyle
    language: Language
    rng: random.Random
    used: set[str]

    def joiners(self) -> list[str]:
        keys = (Reaction.ACKNOWLEDGE, Reaction.CONNECTOR, Reaction.ALREADY_COVERED, Reaction.HINT)
        return [p for k in keys for p in self.style.phrases(k)(self.language) if _is_joiner(p)]

    def is_fresh(self, text: str) -> bool:
        return not any(s in self.used for s in split_sentences(text))

    def take(self, text: str) -> str:
        self.used.update(split_sentences(text))
        return text

    def pick(
        self, options: Iterable[str], *, max_sentences: int | None = None, allow_joiner: bool
    ) -> str | None:
        """A fresh option (within `max_sentences` if any fits); when every option was said
        already, a joining phrase combined with one, so the sentence is new."""
        pool = [o for o in options if allow_joiner or not _is_joiner(o)]
        fresh = [o for o in pool if self.is_fresh(o)]
        if max_sentences is not None:
            short = [o for o in fresh if len(split_sentences(o)) <= max_sentences]
            fresh = short or sorted(fresh, key=lambda o: len(split_sentences(o)))[:1]
        if fresh:
            return self.rng.choice(fresh)
        combos = [
            _join_into(j, o, self.language)
            for j in self.joiners()
            for o in pool
            if not _is_joiner(o)
        ]
        fresh_combos = [c for c in combos if self.is_fresh(c)]
        return self.rng.choice(fresh_combos) if fresh_combos else None

    def phrase(self, reaction: Reaction, *, allow_joiner: bool) -> str | None:
        return self.pick(self.style.phrases(reaction)(self.language), allow_joiner=allow_joiner)

    def lead_into(self, reaction: Reaction, line: str, *, allow_joiner: bool) -> list[str]:
        """The reaction's lead-in followed by `line`: either a sentence of its own and the
        line, or one new sentence joining both; just the line when every lead-in was used."""
        allow_joiner = allow_joiner and not _has_own_lead(line, self.language)
        options: list[tuple[str, bool]] = []  # (text, whether it already holds the line)
        for phrase in self.style.phrases(reaction)(self.language):
            if _is_joiner(phrase):
                joined = _join_into(phrase, line, self.language)
                if allow_joiner and self.is_fresh(joined):
                    options.append((joined, True))
            elif self.is_fresh(phrase):
                options.append((phrase, False))
        if not options:
            return [self.take(line)]
        chosen, holds_line = self.rng.choice(options)
        if holds_line:
            return [self.take(chosen)]
        return [self.take(chosen), self.take(line)]


class Scripter:
    """Writes replies for any style. Pass every buyer turn of the call in `recent` (not only
    the last few): the no-repeat rule can only avoid sentences it is shown."""

    def __init__(self, styles: Mapping[StyleName, BuyerStyle]) -> None:
        self._styles = dict(styles)

    def compose(self, direction: Direction, recent: Sequence[Turn]) -> str:
        """The whole reply, from the Direction's reveals and the style's phrasing only."""
        style = self._styles[direction.persona.style]
        language = direction.language
        used = {s for t in recent if t.role is Role.BUYER for s in split_sentences(t.text)}
        composer = _Composer(style, language, random.Random(direction.seed), used)
        budget = max(1, direction.max_sentences)
        reaction = direction.reaction
        # A buyer who hangs up must say so: keep a sentence for it.
        reserved = 1 if reaction is Reaction.END_CALL and budget > 1 else 0
        content = self._content(composer, direction.reveals, budget - reserved)
        spent = sum(len(split_sentences(c)) for c in content)
        parts: list[str] = []
        lead_fits = spent < budget or reaction not in _LEAD_ONLY
        if content and reaction not in _TRAILING and lead_fits:
            # A line already rebuilt with a joining phrase takes no second one.
            fresh_line = content[0] in direction.reveals[0].lines
            content[:1] = composer.lead_into(reaction, content[0], allow_joiner=fresh_line)
            spent = sum(len(split_sentences(c)) for c in content)
        parts.extend(content)
        trailing_fits = spent < budget or reaction is Reaction.END_CALL
        if not content or (reaction in _TRAILING and trailing_fits):
            closing = composer.phrase(reaction, allow_joiner=False)
            if closing is not None:
                parts.append(composer.take(closing))
                spent += 1
        if direction.aside is not None and spent < budget:
            aside = composer.phrase(direction.aside, allow_joiner=False)
            if aside is not None:
                parts.append(composer.take(aside))
        if not parts:
            fallback = composer.phrase(Reaction.UNCLEAR, allow_joiner=False)
            parts.append(composer.take(fallback) if fallback else "...")
        return ("" if language is Language.ZH else " ").join(parts)

    def _content(self, composer: _Composer, reveals: Sequence[Reveal], budget: int) -> list[str]:
        """One line per reveal, within the sentence budget (the first reveal and any
        objection always get said: the scorecard counts them)."""
        lines: list[str] = []
        spent = 0
        for n, reveal in enumerate(reveals):
            must = n == 0 or reveal.kind is RevealKind.OBJECTION
            room = budget - spent
            if room <= 0 and not must:
                continue
            line = composer.pick(reveal.lines, max_sentences=max(1, room), allow_joiner=False)
            if line is None:
                continue
            if reveal.kind is RevealKind.HINT:
                led = composer.lead_into(Reaction.HINT, line, allow_joiner=line in reveal.lines)
                lines.extend(led)
                spent += len(led) - 1 + len(split_sentences(line))
                continue
            lines.append(composer.take(line))
            spent += len(split_sentences(line))
        return lines


def chunk_text(text: str, language: Language) -> list[str]:
    """Pieces that concatenate back to `text` exactly."""
    if language is Language.ZH:
        return [text[i : i + _CHUNK_CHARS] for i in range(0, len(text), _CHUNK_CHARS)]
    words = re.findall(r"\S+\s*", text)
    lead = text[: len(text) - len(text.lstrip())]
    chunks = ["".join(words[i : i + _CHUNK_WORDS]) for i in range(0, len(words), _CHUNK_WORDS)]
    if lead and chunks:
        chunks[0] = lead + chunks[0]
    return chunks or ([text] if text else [])

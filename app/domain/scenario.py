"""A practice scenario as value objects: the account, its facts, and the problem tree
(problem → implications → need-payoffs) that the director unlocks (DESIGN.md §3)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.language import Language


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in both languages."""

    en: str
    zh: str

    def __call__(self, language: Language) -> str:
        return self.en if language is Language.EN else self.zh


@dataclass(frozen=True, slots=True)
class Variants:
    """Several ways to say (or recognise) one thing, per language; never empty in either."""

    en: tuple[str, ...]
    zh: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.en or not self.zh:
            raise ValueError("variants need at least one entry in each language")

    def __call__(self, language: Language) -> tuple[str, ...]:
        return self.en if language is Language.EN else self.zh


class Gender(StrEnum):
    """The buyer's gender, for pronouns and forms of address; `unspecified` uses neutral
    ones ("they", "对方")."""

    FEMALE = "female"
    MALE = "male"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True)
class Account:
    company: Bilingual
    industry: Bilingual
    buyer_name: Bilingual
    buyer_role: Bilingual
    product: Bilingual  # what the trainee sells
    gender: Gender = Gender.UNSPECIFIED
    address: Bilingual | None = None  # how a seller addresses the buyer: "Ms Zhao", "赵总"

    def form_of_address(self, language: Language) -> str:
        """How the seller addresses the buyer; the name when the scenario gives no form."""
        return (self.address or self.buyer_name)(language)


@dataclass(frozen=True, slots=True)
class Fact:
    """A situation fact: given freely to a situation question that touches its cues."""

    id: str
    cues: Variants
    answer: Variants


@dataclass(frozen=True, slots=True)
class NeedPayoff:
    """An explicit need the buyer states only to a need-payoff question asked after its
    implication was developed (SPIN.md §2)."""

    id: str
    title: Bilingual
    cues: Variants
    answer: Variants
    example_question: Bilingual  # a good need-payoff question, used for coaching


@dataclass(frozen=True, slots=True)
class Implication:
    id: str
    title: Bilingual
    cues: Variants
    answer: Variants  # carries figures: cost, time, people
    example_question: Bilingual
    needs: tuple[NeedPayoff, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A hidden difficulty: surfaces to a problem question touching its cues (an implied need)."""

    id: str
    title: Bilingual
    cues: Variants
    answer: Variants
    hint: Variants  # what a buyer lets slip once rapport is high enough, without being asked
    example_question: Bilingual
    implications: tuple[Implication, ...]


class ObjectionTrigger(StrEnum):
    PITCH = "pitch"  # a solution offered before the need is explicit (SPIN.md §3.9)
    PRICE = "price"
    CLOSE = "close"  # pressure to commit too early (SPIN.md §3.7)


@dataclass(frozen=True, slots=True)
class Objection:
    id: str
    trigger: ObjectionTrigger
    text: Variants


@dataclass(frozen=True, slots=True)
class Advance:
    """What counts as an advance for this account (SPIN.md §3.7): a concrete buyer action."""

    description: Bilingual
    cues: Variants
    accept: Variants  # the buyer agrees to it
    defer: Variants  # the buyer agrees only to keep in touch (a continuation)


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: Bilingual
    brief: Bilingual  # what the trainee reads before the call
    account: Account
    opening: Variants  # the buyer's first line
    facts: tuple[Fact, ...]
    problems: tuple[Problem, ...]
    objections: tuple[Objection, ...]
    advance: Advance
    source: str = field(default="file")  # "file" or "authored" (created in the UI)

    def __post_init__(self) -> None:
        ids = [f.id for f in self.facts] + [p.id for p in self.problems]
        ids += [i.id for _, i in self.implications()] + [n.id for _, _, n in self.needs()]
        duplicates = {x for x in ids if ids.count(x) > 1}
        if duplicates:
            raise ValueError(f"scenario {self.id}: duplicate ids {sorted(duplicates)}")

    def implications(self) -> Iterator[tuple[Problem, Implication]]:
        for problem in self.problems:
            for implication in problem.implications:
                yield problem, implication

    def needs(self) -> Iterator[tuple[Problem, Implication, NeedPayoff]]:
        for problem, implication in self.implications():
            for need in implication.needs:
                yield problem, implication, need

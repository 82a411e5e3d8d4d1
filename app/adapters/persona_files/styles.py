"""Pydantic models for `personas/styles/*.yaml` (SPIN.md §4) and their conversion to
`BuyerStyle`; the shared text models are used by the scenario schema too."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.domain.scenario import Bilingual, Variants
from app.domain.style import (
    BuyerStyle,
    Level,
    MoveType,
    Pace,
    Reaction,
    StyleName,
    StyleTuning,
    VoiceBanks,
)

MAX_TEXT_CHARS = 2000  # one line a buyer says, a cue, a title: four times the longest shipped
MAX_VARIANTS = 40  # wordings of one line per language
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS)
]
Percent = Annotated[int, Field(ge=0, le=100)]
Delta = Annotated[int, Field(ge=-100, le=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BilingualModel(Strict):
    en: Text
    zh: Text

    def to_domain(self) -> Bilingual:
        return Bilingual(en=self.en, zh=self.zh)


class VariantsModel(Strict):
    en: Annotated[list[Text], Field(min_length=1, max_length=MAX_VARIANTS)]
    zh: Annotated[list[Text], Field(min_length=1, max_length=MAX_VARIANTS)]

    def to_domain(self) -> Variants:
        return Variants(en=tuple(self.en), zh=tuple(self.zh))


class TuningModel(Strict):
    start_patience: Percent
    start_trust: Percent
    patience_floor: Percent
    impatient_below: Percent
    open_from: Percent
    warm_from: Percent
    situation_free: Percent
    situation_cost: Delta
    situation_streak_limit: Annotated[int, Field(ge=1, le=100)]
    situation_streak_end: Percent
    spin_patience: Delta
    problem_trust: Delta
    implication_trust: Delta
    need_trust: Delta
    rapport_trust: Delta
    rapport_patience: Delta
    recognition_trust: Delta
    summary_trust: Delta
    precise_trust: Delta
    precise_extra_facts: Percent
    precise_extra_sentences: Percent
    pitch_trust_cost: Delta
    pitch_patience_cost: Delta
    close_trust_cost: Delta
    close_patience_cost: Delta
    other_patience_cost: Delta
    rapport_before_problems: Percent
    gentle_questions_build_rapport: bool
    withdraws_under_pressure: bool
    hint_rapport: Percent
    hint_trust: Percent
    vision_percent: Percent
    advance_needs: Percent
    advance_trust: Percent
    benefit_trust: Delta

    def to_domain(self) -> StyleTuning:
        return StyleTuning(**self.model_dump())


class PhrasingModel(Strict):
    """One field per `Reaction`: every style must phrase every behaviour."""

    greeting: VariantsModel
    acknowledge: VariantsModel
    connector: VariantsModel
    deflect: VariantsModel
    unclear: VariantsModel
    impatient: VariantsModel
    end_call: VariantsModel
    sceptical: VariantsModel
    evidence_request: VariantsModel
    withdraw: VariantsModel
    warm: VariantsModel
    brush_off: VariantsModel
    hold_back: VariantsModel
    hint: VariantsModel
    lukewarm: VariantsModel
    push_back: VariantsModel
    advance_accept: VariantsModel
    advance_defer: VariantsModel
    summary: VariantsModel
    vision: VariantsModel
    receptive: VariantsModel
    order_accept: VariantsModel
    already_covered: VariantsModel
    not_an_issue: VariantsModel

    def to_domain(self) -> dict[Reaction, Variants]:
        return {r: getattr(self, r.value).to_domain() for r in Reaction}


class VoiceBanksModel(Strict):
    recall: VariantsModel
    upbeat: VariantsModel
    farewell: VariantsModel

    def to_domain(self) -> VoiceBanks:
        return VoiceBanks(
            recall=self.recall.to_domain(),
            upbeat=self.upbeat.to_domain(),
            farewell=self.farewell.to_domain(),
        )


class ReactionsModel(Strict):
    """The default behaviour per kind of move (an `advance` follows the accept/defer rule)."""

    situation: Reaction
    problem: Reaction
    implication: Reaction
    need_payoff: Reaction
    pitch: Reaction
    rapport: Reaction
    summary: Reaction
    close: Reaction
    other: Reaction

    def to_domain(self) -> dict[MoveType, Reaction]:
        return {MoveType(name): getattr(self, name) for name in type(self).model_fields}


class StyleModel(Strict):
    name: StyleName
    label: BilingualModel
    description: BilingualModel
    assertiveness: Level
    responsiveness: Level
    pace: Pace
    reply_sentences: Annotated[int, Field(ge=1, le=8)]
    values: VariantsModel
    irritants: VariantsModel
    under_stress: BilingualModel
    adaptation: VariantsModel
    reactions: ReactionsModel
    tuning: TuningModel
    phrasing: PhrasingModel
    voice: VoiceBanksModel

    def to_domain(self) -> BuyerStyle:
        return BuyerStyle(
            name=self.name,
            label=self.label.to_domain(),
            description=self.description.to_domain(),
            assertiveness=self.assertiveness,
            responsiveness=self.responsiveness,
            pace=self.pace,
            reply_sentences=self.reply_sentences,
            values=self.values.to_domain(),
            irritants=self.irritants.to_domain(),
            under_stress=self.under_stress.to_domain(),
            adaptation=self.adaptation.to_domain(),
            reactions=self.reactions.to_domain(),
            tuning=self.tuning.to_domain(),
            phrasing=self.phrasing.to_domain(),
            voice=self.voice.to_domain(),
        )

"""Scenario authoring by trainers: read a scenario as YAML, validate and save one, with
warnings for items the buyer would find hard to recognise."""

import asyncio
from dataclasses import dataclass

from app.domain.accounts.access import Actor, may_author_scenarios
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.domain.reading.coverage import RecognitionWarning, recognition_warnings
from app.domain.reading.lexicon import Lexicon
from app.domain.scenario import Scenario
from app.services.ports import ScenarioCatalog

MAX_SCENARIO_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Saved:
    scenario: Scenario
    warnings: tuple[RecognitionWarning, ...]  # saved all the same: a draft may be thin


def check_scenario(scenario: Scenario, lexicon: Lexicon) -> tuple[RecognitionWarning, ...]:
    return tuple(recognition_warnings(scenario, lexicon))


class Authoring:
    def __init__(self, *, catalog: ScenarioCatalog, lexicon: Lexicon) -> None:
        self._catalog = catalog
        self._lexicon = lexicon

    async def source(self, actor: Actor, scenario_id: str) -> str:
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        text = await self._catalog.scenario_yaml(scenario_id)
        if text is None:
            raise NotFoundError("scenario")
        return text

    async def save(self, actor: Actor, yaml_text: str) -> Saved:
        """Validates (errors name each field) and stores the scenario, creating it or
        replacing the authored scenario with the same id; warns about thin items."""
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        if len(yaml_text) > MAX_SCENARIO_CHARS:
            raise ValidationFailedError(f"a scenario has at most {MAX_SCENARIO_CHARS} characters")
        scenario = await self._catalog.save(yaml_text=yaml_text, author_id=actor.id)
        warnings = await asyncio.to_thread(check_scenario, scenario, self._lexicon)
        return Saved(scenario, warnings)

"""Scenario authoring by trainers: read a scenario as YAML, validate and save one (with
warnings for items the buyer would find hard to recognise), disable or delete it. A scenario
has an owner: only its author (or an admin) changes it (issue 14)."""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.accounts.access import Actor, may_author_scenarios, may_change_scenario
from app.domain.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationFailedError,
)
from app.domain.reading.coverage import RecognitionWarning, recognition_warnings
from app.domain.reading.lexicon import Lexicon
from app.domain.scenario import Scenario
from app.services.ports import RateLimiter, ScenarioCatalog, ScenarioRecord, Workers
from app.services.rate_limits import RateRule

MAX_SCENARIO_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Saved:
    scenario: Scenario
    warnings: tuple[RecognitionWarning, ...]  # saved all the same: a draft may be thin


def check_scenario(scenario: Scenario, lexicon: Lexicon) -> tuple[RecognitionWarning, ...]:
    return tuple(recognition_warnings(scenario, lexicon))


class Authoring:
    def __init__(
        self,
        *,
        catalog: ScenarioCatalog,
        limiter: RateLimiter,
        clock: Callable[[], datetime],
        saves: RateRule,
        lexicon: Lexicon,
        workers: Workers,
    ) -> None:
        self._catalog = catalog
        self._limiter = limiter
        self._clock = clock
        self._saves = saves
        self._lexicon = lexicon
        self._workers = workers

    async def source(self, actor: Actor, scenario_id: str) -> str:
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        text = await self._catalog.scenario_yaml(scenario_id)
        if text is None:
            raise NotFoundError("scenario")
        return text

    async def records(self, actor: Actor) -> list[ScenarioRecord]:
        """Every scenario, disabled ones too, for the authoring page."""
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        return await self._catalog.records()

    async def save(self, actor: Actor, yaml_text: str) -> Saved:
        """Validates (errors name each field) and stores the scenario: a new id creates it,
        an authored scenario's id stores its next version, if the actor may change it. Warns
        about thin items."""
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        if len(yaml_text) > MAX_SCENARIO_CHARS:
            raise ValidationFailedError(f"a scenario has at most {MAX_SCENARIO_CHARS} characters")
        await self._saves.claim(self._limiter, actor, self._clock())
        scenario = await self._catalog.validate(yaml_text)
        existing = await self._catalog.record(scenario.id)
        if existing is not None:
            self._check_may_change(actor, existing)
        saved = await self._catalog.save(
            scenario=scenario,
            yaml_text=yaml_text,
            saved_by=actor.id,
            replaces=existing.version if existing else None,
        )
        # A scenario at the size limit takes a second of CPU to check: a worker process's
        # time, not the event loop's (a thread would still hold the GIL: issue 14).
        check = functools.partial(check_scenario, saved.scenario, self._lexicon)
        warnings = await self._workers.run(check)
        return Saved(saved.scenario, warnings)

    async def set_enabled(self, actor: Actor, scenario_id: str, *, enabled: bool) -> None:
        """A disabled scenario is offered for no new call; calls played on it keep it."""
        self._check_may_change(actor, await self._authored(actor, scenario_id))
        await self._catalog.set_enabled(scenario_id, enabled=enabled)

    async def delete(self, actor: Actor, scenario_id: str) -> None:
        """Only a scenario no call used; ScenarioInUseError otherwise (disable it instead)."""
        self._check_may_change(actor, await self._authored(actor, scenario_id))
        await self._catalog.delete(scenario_id)

    async def _authored(self, actor: Actor, scenario_id: str) -> ScenarioRecord:
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        record = await self._catalog.record(scenario_id)
        if record is None:
            raise NotFoundError("scenario")
        return record

    @staticmethod
    def _check_may_change(actor: Actor, record: ScenarioRecord) -> None:
        if record.shipped:
            raise ConflictError(f"{record.scenario.id!r} is a shipped scenario; copy it instead")
        if record.author_id is None or not may_change_scenario(actor, record.author_id):
            raise ForbiddenError("only the scenario's author or an admin may change it")

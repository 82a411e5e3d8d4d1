"""Scenario authoring by trainers: read a scenario as YAML, validate and save one."""

from app.domain.accounts.access import Actor, may_author_scenarios
from app.domain.errors import ForbiddenError, NotFoundError, ValidationFailedError
from app.domain.scenario import Scenario
from app.services.ports import ScenarioCatalog

MAX_SCENARIO_CHARS = 200_000


class Authoring:
    def __init__(self, *, catalog: ScenarioCatalog) -> None:
        self._catalog = catalog

    async def source(self, actor: Actor, scenario_id: str) -> str:
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        text = await self._catalog.scenario_yaml(scenario_id)
        if text is None:
            raise NotFoundError("scenario")
        return text

    async def save(self, actor: Actor, yaml_text: str) -> Scenario:
        """Validates (errors name each field) and stores the scenario, creating it or
        replacing the authored scenario with the same id."""
        if not may_author_scenarios(actor):
            raise ForbiddenError("trainers only")
        if len(yaml_text) > MAX_SCENARIO_CHARS:
            raise ValidationFailedError(f"a scenario has at most {MAX_SCENARIO_CHARS} characters")
        return await self._catalog.save(yaml_text=yaml_text, author_id=actor.id)

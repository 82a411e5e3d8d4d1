"""ScenarioCatalog over personas/ files and scenarios authored in the UI (stored as YAML in
the database, so every process sees them at once)."""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.persona_files.scenarios import CatalogError, dump_scenario_yaml
from app.adapters.tables import ScenarioRow
from app.domain.errors import ConflictError, ScenarioInvalidError
from app.domain.scenario import Scenario

ParseScenario = Callable[[str, str], Scenario]


class SqlScenarioCatalog:
    def __init__(
        self,
        *,
        shipped: Mapping[str, Scenario],
        sessions: async_sessionmaker[AsyncSession],
        parse: ParseScenario,
    ) -> None:
        self._shipped = dict(shipped)
        self._sessions = sessions
        self._parse = parse

    async def scenarios(self) -> list[Scenario]:
        async with self._sessions() as db:
            rows = list(await db.exec(select(ScenarioRow).order_by(col(ScenarioRow.id))))
        authored = [self._parse(row.yaml_text, f"scenario:{row.id}") for row in rows]
        return [*self._shipped.values(), *authored]

    async def scenario(self, scenario_id: str) -> Scenario | None:
        if scenario_id in self._shipped:
            return self._shipped[scenario_id]
        async with self._sessions() as db:
            row = await db.get(ScenarioRow, scenario_id)
        return self._parse(row.yaml_text, f"scenario:{row.id}") if row else None

    async def scenario_yaml(self, scenario_id: str) -> str | None:
        """The YAML to edit: an authored scenario's text as saved, a shipped one dumped."""
        if scenario_id in self._shipped:
            return dump_scenario_yaml(self._shipped[scenario_id])
        async with self._sessions() as db:
            row = await db.get(ScenarioRow, scenario_id)
        return row.yaml_text if row else None

    async def save(self, *, yaml_text: str, author_id: UUID) -> Scenario:
        """Validates and stores an authored scenario (creates or replaces it). Shipped
        scenarios are read-only: their ids are refused."""
        try:
            scenario = self._parse(yaml_text, "scenario")
        except CatalogError as exc:
            raise ScenarioInvalidError(str(exc), list(exc.problems)) from exc
        if scenario.id in self._shipped:
            raise ConflictError(f"{scenario.id!r} is a shipped scenario; choose another id")
        async with self._sessions.begin() as db:
            row = await db.get(ScenarioRow, scenario.id)
            if row is None:
                row = ScenarioRow(id=scenario.id, yaml_text=yaml_text, author_id=author_id)
            row.yaml_text = yaml_text
            row.updated_at = datetime.now(UTC)
            db.add(row)
        return scenario

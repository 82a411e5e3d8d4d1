"""ScenarioCatalog over personas/ files and scenarios authored in the UI (stored as YAML in
the database, so every process sees them at once). Every saved version is kept, so a call
keeps the scenario it started with. YAML is parsed in the worker processes and once per
(id, version): a version never changes, so the parsed copy is valid in every process."""

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import delete, exists, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.persona_files.scenarios import CatalogError, dump_scenario_yaml
from app.adapters.tables import PracticeSessionRow, ScenarioRow, ScenarioVersionRow
from app.domain.errors import ConflictError, ScenarioInUseError, ScenarioInvalidError
from app.domain.scenario import Scenario
from app.services.ports import ScenarioRecord

logger = logging.getLogger(__name__)

# (text, source) → the scenario, parsed off the event loop (CatalogError when invalid).
ParseScenario = Callable[[str, str], Awaitable[Scenario]]
CACHE_VERSIONS = 512  # parsed versions kept per process (each a few hundred KB at most)


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
        self._parsed: OrderedDict[tuple[str, int], Scenario] = OrderedDict()

    async def _parsed_version(self, scenario_id: str, version: int, text: str | None) -> Scenario:
        key = (scenario_id, version)
        found = self._parsed.get(key)
        if found is None:
            if text is None:
                text = await self._version_text(scenario_id, version)
            found = await self._parse(text or "", f"scenario:{scenario_id}")
            self._parsed[key] = found
            while len(self._parsed) > CACHE_VERSIONS:
                self._parsed.popitem(last=False)
        else:
            self._parsed.move_to_end(key)
        return found

    async def _version_text(self, scenario_id: str, version: int) -> str | None:
        async with self._sessions() as db:
            row = await db.get(ScenarioVersionRow, (scenario_id, version))
            return row.yaml_text if row else None

    async def _record(
        self, scenario_id: str, version: int, author_id: UUID, enabled: bool, text: str | None
    ) -> ScenarioRecord | None:
        try:
            scenario = await self._parsed_version(scenario_id, version, text)
        except CatalogError:  # saved under an older schema: leave it out, do not fail a page
            logger.exception("authored scenario %s no longer validates", scenario_id)
            return None
        return ScenarioRecord(scenario, version, author_id, enabled)

    async def records(self) -> list[ScenarioRecord]:
        # Ids and versions only: a text is read just for a version this process has not parsed.
        stmt = select(
            ScenarioRow.id, ScenarioRow.version, ScenarioRow.author_id, ScenarioRow.enabled
        ).order_by(col(ScenarioRow.id))
        async with self._sessions() as db:
            rows = list(await db.exec(stmt))
        found = [ScenarioRecord(s, None, None) for s in self._shipped.values()]
        for scenario_id, version, author_id, enabled in rows:
            record = await self._record(scenario_id, version, author_id, enabled, None)
            if record is not None:
                found.append(record)
        return found

    async def scenarios(self) -> list[Scenario]:
        return [r.scenario for r in await self.records() if r.enabled]

    async def record(self, scenario_id: str) -> ScenarioRecord | None:
        if scenario_id in self._shipped:
            return ScenarioRecord(self._shipped[scenario_id], None, None)
        async with self._sessions() as db:
            row = await db.get(ScenarioRow, scenario_id)
        if row is None:
            return None
        return await self._record(row.id, row.version, row.author_id, row.enabled, row.yaml_text)

    async def scenario(self, scenario_id: str, version: int | None = None) -> Scenario | None:
        if scenario_id in self._shipped:
            return self._shipped[scenario_id]
        if version is None:
            record = await self.record(scenario_id)
            return record.scenario if record else None
        try:
            return await self._parsed_version(scenario_id, version, None)
        except CatalogError:
            logger.exception("scenario %s version %s no longer validates", scenario_id, version)
            return None

    async def scenario_yaml(self, scenario_id: str) -> str | None:
        """The YAML to edit: an authored scenario's text as saved, a shipped one dumped."""
        if scenario_id in self._shipped:
            return dump_scenario_yaml(self._shipped[scenario_id])
        async with self._sessions() as db:
            row = await db.get(ScenarioRow, scenario_id)
        return row.yaml_text if row else None

    async def validate(self, yaml_text: str) -> Scenario:
        try:
            return await self._parse(yaml_text, "scenario")
        except CatalogError as exc:
            raise ScenarioInvalidError(str(exc), list(exc.problems)) from exc

    async def save(
        self,
        *,
        scenario: Scenario,
        yaml_text: str,
        saved_by: UUID,
        replaces: int | None,
    ) -> ScenarioRecord:
        if scenario.id in self._shipped:
            raise ConflictError(f"{scenario.id!r} is a shipped scenario; choose another id")
        try:
            if replaces is None:
                row = await self._create(scenario.id, yaml_text, saved_by)
            else:
                row = await self._next_version(scenario.id, yaml_text, saved_by, replaces)
        except IntegrityError as exc:
            raise ConflictError(f"{scenario.id!r} was saved meanwhile; reload it") from exc
        self._parsed[(scenario.id, row.version)] = scenario
        return ScenarioRecord(scenario, row.version, row.author_id, row.enabled)

    async def _create(self, scenario_id: str, yaml_text: str, author_id: UUID) -> ScenarioRow:
        async with self._sessions.begin() as db:
            row = ScenarioRow(id=scenario_id, yaml_text=yaml_text, author_id=author_id)
            db.add(row)
            await db.flush()  # the scenario row before its version's foreign key
            db.add(
                ScenarioVersionRow(
                    scenario_id=scenario_id, version=1, yaml_text=yaml_text, saved_by=author_id
                )
            )
        return row

    async def _next_version(
        self, scenario_id: str, yaml_text: str, saved_by: UUID, replaces: int
    ) -> ScenarioRow:
        """Compare and set: the update applies only to the version the editor read."""
        async with self._sessions.begin() as db:
            changed = await db.exec(
                update(ScenarioRow)
                .where(col(ScenarioRow.id) == scenario_id, col(ScenarioRow.version) == replaces)
                .values(yaml_text=yaml_text, version=replaces + 1, updated_at=datetime.now(UTC))
            )
            if changed.rowcount != 1:
                raise ConflictError(f"{scenario_id!r} was changed meanwhile; reload it")
            db.add(
                ScenarioVersionRow(
                    scenario_id=scenario_id,
                    version=replaces + 1,
                    yaml_text=yaml_text,
                    saved_by=saved_by,
                )
            )
            row = await db.get(ScenarioRow, scenario_id)
            assert row is not None  # just updated in this transaction
            return row

    async def set_enabled(self, scenario_id: str, *, enabled: bool) -> None:
        async with self._sessions.begin() as db:
            await db.exec(
                update(ScenarioRow)
                .where(col(ScenarioRow.id) == scenario_id)
                .values(enabled=enabled)
            )

    async def delete(self, scenario_id: str) -> None:
        async with self._sessions.begin() as db:
            used = await db.exec(
                select(exists().where(col(PracticeSessionRow.scenario_id) == scenario_id))
            )
            if used.one():
                raise ScenarioInUseError("calls were played on this scenario: disable it instead")
            await db.exec(
                delete(ScenarioVersionRow).where(col(ScenarioVersionRow.scenario_id) == scenario_id)
            )
            await db.exec(delete(ScenarioRow).where(col(ScenarioRow.id) == scenario_id))
        for key in [k for k in self._parsed if k[0] == scenario_id]:
            del self._parsed[key]

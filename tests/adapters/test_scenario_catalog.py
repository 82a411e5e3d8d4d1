"""SqlScenarioCatalog on both databases (issue 14): authored scenarios are parsed once per
version, not on every listing, in every process; every version is kept so an old call keeps
its scenario; saves are compare-and-set; a disabled scenario is offered for no new call; only
an unplayed scenario can be deleted; a stored scenario that no longer validates is left out
of listings instead of failing them."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.adapters.persona_files.catalog import load_catalog
from app.adapters.persona_files.scenarios import (
    dump_scenario_yaml,
    parse_scenario_yaml,
)
from app.adapters.sql_scenarios import SqlScenarioCatalog
from app.adapters.sql_sessions import SqlSessionStore
from app.adapters.sql_users import SqlUserStore
from app.domain.accounts.access import Owner, UserRole
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status
from app.domain.director.state import DiscoveryState
from app.domain.errors import ConflictError, ScenarioInUseError
from app.domain.language import Language
from app.domain.scenario import Scenario
from app.domain.style import StyleName
from tests.support.paths import PERSONAS

pytestmark = pytest.mark.anyio

SHIPPED = load_catalog(PERSONAS).scenarios


def authored_yaml(scenario_id: str, *, company: str = "Acme Plants") -> str:
    base = SHIPPED["plant-operators"]
    text = dump_scenario_yaml(base)
    text = text.replace("id: plant-operators", f"id: {scenario_id}", 1)
    return text.replace(base.account.company.en, company, 1)


class CountingParser:
    """The real parser, counting its calls (one catalog stands for one server process)."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, text: str, source: str) -> Scenario:
        self.calls += 1
        return parse_scenario_yaml(text, source=source)


def catalog_for(
    db: async_sessionmaker[AsyncSession],
) -> tuple[SqlScenarioCatalog, CountingParser]:
    parser = CountingParser()
    return SqlScenarioCatalog(shipped=SHIPPED, sessions=db, parse=parser), parser


async def trainer(db: async_sessionmaker[AsyncSession]) -> UUID:
    user = await SqlUserStore(db).create(
        username=f"tr{uuid4().hex[:6]}", password_hash="h", role=UserRole.TRAINER, cohort_id=None
    )
    return user.id


async def save_new(catalog: SqlScenarioCatalog, text: str, author: UUID) -> None:
    scenario = await catalog.validate(text)
    await catalog.save(scenario=scenario, yaml_text=text, saved_by=author, replaces=None)


async def test_authored_scenarios_are_parsed_once_per_version_in_each_process(
    db: async_sessionmaker[AsyncSession],
) -> None:
    author = await trainer(db)
    first, first_parser = catalog_for(db)
    second, second_parser = catalog_for(db)
    await save_new(first, authored_yaml("acme"), author)
    for _ in range(3):
        assert "acme" in {s.id for s in await first.scenarios()}
        assert "acme" in {s.id for s in await second.scenarios()}
    assert first_parser.calls == 1  # the validation at save; listings reuse it
    assert second_parser.calls == 1  # the first listing in the other process
    text = authored_yaml("acme", company="Acme Two")
    scenario = await first.validate(text)
    await first.save(scenario=scenario, yaml_text=text, saved_by=author, replaces=1)
    for _ in range(3):
        found = await second.scenario("acme")
        assert found is not None
        assert found.account.company.en == "Acme Two"
    assert second_parser.calls == 2  # the new version, once


async def test_every_version_is_kept_for_the_calls_that_started_on_it(
    db: async_sessionmaker[AsyncSession],
) -> None:
    author = await trainer(db)
    catalog, _ = catalog_for(db)
    await save_new(catalog, authored_yaml("acme"), author)
    text = authored_yaml("acme", company="Acme Two")
    await catalog.save(
        scenario=await catalog.validate(text), yaml_text=text, saved_by=author, replaces=1
    )
    fresh, _ = catalog_for(db)  # nothing cached
    old, new = await fresh.scenario("acme", 1), await fresh.scenario("acme", 2)
    assert old is not None
    assert new is not None
    assert old.account.company.en == "Acme Plants"
    assert new.account.company.en == "Acme Two"


async def test_saves_are_compare_and_set(db: async_sessionmaker[AsyncSession]) -> None:
    author = await trainer(db)
    catalog, _ = catalog_for(db)
    text = authored_yaml("acme")
    await save_new(catalog, text, author)
    scenario = await catalog.validate(text)
    with pytest.raises(ConflictError):  # the id exists: a create is no overwrite
        await catalog.save(scenario=scenario, yaml_text=text, saved_by=author, replaces=None)
    await catalog.save(scenario=scenario, yaml_text=text, saved_by=author, replaces=1)
    with pytest.raises(ConflictError):  # version 1 is no longer the current one
        await catalog.save(scenario=scenario, yaml_text=text, saved_by=author, replaces=1)
    record = await catalog.record("acme")
    assert record is not None
    assert record.version == 2
    assert record.author_id == author


async def test_a_disabled_scenario_is_not_offered_but_kept(
    db: async_sessionmaker[AsyncSession],
) -> None:
    author = await trainer(db)
    catalog, _ = catalog_for(db)
    await save_new(catalog, authored_yaml("acme"), author)
    await catalog.set_enabled("acme", enabled=False)
    assert "acme" not in {s.id for s in await catalog.scenarios()}
    record = await catalog.record("acme")
    assert record is not None
    assert not record.enabled
    assert await catalog.scenario("acme", 1) is not None
    await catalog.set_enabled("acme", enabled=True)
    assert "acme" in {s.id for s in await catalog.scenarios()}


async def test_only_an_unplayed_scenario_can_be_deleted(
    db: async_sessionmaker[AsyncSession],
) -> None:
    author = await trainer(db)
    catalog, _ = catalog_for(db)
    await save_new(catalog, authored_yaml("played"), author)
    await save_new(catalog, authored_yaml("unplayed"), author)
    await SqlSessionStore(db).create(
        PracticeSession(
            id=uuid4(),
            owner=Owner(user_id=author, cohort_id=None),
            scenario_id="played",
            scenario_version=1,
            style=StyleName.DRIVER,
            style_hidden=False,
            language=Language.EN,
            mode=Mode.COACH,
            kind=SessionKind.PRACTICE,
            seed=1,
            status=Status.ACTIVE,
            state=DiscoveryState(),
            created_at=datetime.now(UTC),
        )
    )
    with pytest.raises(ScenarioInUseError):
        await catalog.delete("played")
    await catalog.delete("unplayed")
    assert await catalog.record("unplayed") is None
    assert await catalog.record("played") is not None
    await save_new(catalog, authored_yaml("unplayed"), author)  # the id is free again


async def test_a_stored_scenario_that_no_longer_validates_is_left_out_of_listings(
    db: async_sessionmaker[AsyncSession],
) -> None:
    author = await trainer(db)
    catalog, _ = catalog_for(db)
    good = await catalog.validate(authored_yaml("acme"))
    await catalog.save(
        scenario=good, yaml_text="id: acme\nfacts: [", saved_by=author, replaces=None
    )
    fresh, _ = catalog_for(db)  # another process: it has to parse the stored text
    ids = {s.id for s in await fresh.scenarios()}
    assert "acme" not in ids
    assert set(SHIPPED) <= ids

"""Creating users directly in a test database, the way `spin-practice users create` does."""

import asyncio

from app.domain.access import UserRole
from app.main import build_accounts_for_cli
from app.settings import Settings

PASSWORD = "correct horse battery"


def create_user(settings: Settings, username: str, role: UserRole = UserRole.TRAINEE) -> None:
    async def run() -> None:
        async with build_accounts_for_cli(settings) as accounts:
            await accounts.create_user(username=username, password=PASSWORD, role=role)

    asyncio.run(run())

"""Creating users directly in a test database, the way `spin-practice users create` does."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from app.domain.accounts.access import UserRole
from app.main import build_accounts_for_cli
from app.settings import Settings

PASSWORD = "correct horse battery"


def create_user(settings: Settings, username: str, role: UserRole = UserRole.TRAINEE) -> None:
    """Runs on a thread of its own, so it works whatever event loop the caller's thread has."""

    async def run() -> None:
        async with build_accounts_for_cli(settings) as accounts:
            await accounts.create_user(username=username, password=PASSWORD, role=role)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()

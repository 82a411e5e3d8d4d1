"""Accounts on real databases (a SQLite file and PostgreSQL), with real argon2: the sign-in
limit under concurrency and name variants (issue 14 item 2), registration checked before
hashing and limited (item 3), account hygiene (item 11), and the user admin of issue 15
item 2 (deactivation, reset links, one's own password)."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.domain.accounts.access import Actor, UserRole
from app.domain.errors import (
    CommonPasswordError,
    ConflictError,
    InvalidCredentialsError,
    InvalidInviteError,
    LastAdminError,
    LookalikeUsernameError,
    NotFoundError,
    PasswordLikeUsernameError,
    TooManyAttemptsError,
    ValidationFailedError,
    WrongPasswordError,
)
from app.main import ConsoleParts, build_console_parts
from app.settings import Settings

pytestmark = pytest.mark.anyio
PASSWORD = "correct horse battery"


@pytest.fixture
async def parts(database_url: str, tmp_path: Path) -> AsyncIterator[ConsoleParts]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, secret_key="services-test-key"
    )
    async with build_console_parts(settings) as built:
        yield built


async def _outcome(parts: ConsoleParts, username: str, password: str, address: str) -> str:
    try:
        await parts.accounts.login(username=username, password=password, address=address)
    except (InvalidCredentialsError, TooManyAttemptsError) as error:
        return error.code
    return "ok"


async def test_concurrent_sign_ins_get_no_more_checks_than_the_limit(parts: ConsoleParts) -> None:
    """40 wrong passwords at once from one address: before, all 40 were hashed and checked
    against a limit of 10, because each read the count before queueing for argon2."""
    await parts.accounts.create_user(username="target", password=PASSWORD, role=UserRole.TRAINEE)
    tries = [_outcome(parts, "target", f"wrong guess {i:02d}", "10.1.1.1") for i in range(40)]
    outcomes = await asyncio.gather(*tries)
    checked = outcomes.count("invalid_credentials")  # the password was hashed and compared
    assert checked <= 10
    assert outcomes.count("too_many_attempts") == 40 - checked


async def test_name_variants_share_one_account_lock(parts: ConsoleParts) -> None:
    """After ten failures on "trainer2" (from ten addresses), " trainer2\\t" and "TRAINER2"
    from yet other addresses are locked too: the lock is keyed on the canonical name."""
    await parts.accounts.create_user(username="trainer2", password=PASSWORD, role=UserRole.TRAINER)
    for i in range(10):
        assert await _outcome(parts, "trainer2", "wrong-pass-1", f"10.0.0.{i}") != "ok"
    for variant in (" trainer2\t", "   trainer2", "TRAINER2", "ｔｒａｉｎｅｒ２"):
        assert await _outcome(parts, variant, PASSWORD, "10.9.9.9") == "too_many_attempts"


async def test_a_successful_sign_in_lifts_the_account_lock(parts: ConsoleParts) -> None:
    await parts.accounts.create_user(username="ok-user", password=PASSWORD, role=UserRole.TRAINEE)
    for i in range(5):
        await _outcome(parts, "ok-user", "wrong-pass-1", f"10.2.0.{i}")
    assert await _outcome(parts, "OK-User", PASSWORD, "10.2.1.1") == "ok"  # case-folded
    for i in range(9):  # the earlier five no longer count
        await _outcome(parts, "ok-user", "wrong-pass-1", f"10.2.2.{i}")
    assert await _outcome(parts, "ok-user", PASSWORD, "10.2.3.1") == "ok"


async def _cohort_invite(parts: ConsoleParts, *, uses: int = 5) -> tuple[Actor, str]:
    trainer = await parts.accounts.create_user(
        username="coach", password=PASSWORD, role=UserRole.TRAINER
    )
    actor = Actor(id=trainer.id, role=UserRole.TRAINER)
    cohort = await parts.cohorts.create(actor, name="Cohort")
    actor = Actor(id=trainer.id, role=UserRole.TRAINER, cohorts=frozenset({cohort.id}))
    invite = await parts.cohorts.create_invite(actor, cohort_id=cohort.id, max_uses=uses)
    return actor, invite.code


async def test_registration_checks_the_invite_before_the_password(parts: ConsoleParts) -> None:
    """A bogus code is refused before the password is looked at (and so before argon2
    runs): before, a short password with a bogus code was refused as weak."""
    with pytest.raises(InvalidInviteError):
        await parts.accounts.register(code="bogus", username="newbie", password="short")
    _, code = await _cohort_invite(parts)
    with pytest.raises(CommonPasswordError):
        await parts.accounts.register(code=code, username="newbie", password="1234567890")


async def test_registration_is_rate_limited_per_address(parts: ConsoleParts) -> None:
    for _ in range(20):
        with pytest.raises(InvalidInviteError):
            await parts.accounts.register(
                code="bogus", username="x-user", password=PASSWORD, address="10.3.3.3"
            )
    with pytest.raises(TooManyAttemptsError):
        await parts.accounts.register(
            code="bogus", username="x-user", password=PASSWORD, address="10.3.3.3"
        )
    _, code = await _cohort_invite(parts)
    joined = await parts.accounts.register(
        code=code, username="elsewhere", password=PASSWORD, address="10.4.4.4"
    )
    assert joined.user.role is UserRole.TRAINEE


async def test_successful_registrations_from_one_network_do_not_lock_it(
    parts: ConsoleParts,
) -> None:
    """A class registering from one office address: successes do not count."""
    _, code = await _cohort_invite(parts, uses=30)
    for i in range(22):
        await parts.accounts.register(
            code=code, username=f"class-{i:02d}", password=PASSWORD, address="10.5.5.5"
        )


async def test_revoked_invite_stops_working(parts: ConsoleParts) -> None:
    actor, code = await _cohort_invite(parts)
    await parts.cohorts.revoke_invite(actor, code)
    with pytest.raises(InvalidInviteError):
        await parts.accounts.register(code=code, username="late-comer", password=PASSWORD)


async def test_the_last_admin_cannot_demote_or_deactivate_themselves(
    parts: ConsoleParts,
) -> None:
    admin = await parts.accounts.create_user(
        username="boss", password=PASSWORD, role=UserRole.ADMIN
    )
    me = Actor(id=admin.id, role=UserRole.ADMIN)
    with pytest.raises(LastAdminError):
        await parts.accounts.set_role(me, admin.id, UserRole.TRAINER)
    with pytest.raises(ValidationFailedError):
        await parts.accounts.set_active(me, admin.id, active=False)
    other = await parts.accounts.create_user(
        username="boss2", password=PASSWORD, role=UserRole.ADMIN
    )
    assert (await parts.accounts.set_role(me, admin.id, UserRole.TRAINER)).role is UserRole.TRAINER
    boss2 = Actor(id=other.id, role=UserRole.ADMIN)
    with pytest.raises(LastAdminError):
        await parts.accounts.set_role(boss2, other.id, UserRole.TRAINEE)


async def test_passwords_are_checked_against_common_ones_and_the_username(
    parts: ConsoleParts,
) -> None:
    for common in ("qwertyuiop", "Password123", "1q2w3e4r5t", "aaaaaaaaaaaa"):
        with pytest.raises(CommonPasswordError):
            await parts.accounts.create_user(username="pat", password=common, role=UserRole.TRAINEE)
    with pytest.raises(PasswordLikeUsernameError):
        await parts.accounts.create_user(
            username="margaret", password="Margaret-2026!", role=UserRole.TRAINEE
        )
    with pytest.raises(PasswordLikeUsernameError):
        await parts.accounts.create_user(
            username="pat", password="my spin practice pw", role=UserRole.TRAINEE
        )


async def test_usernames_are_compared_case_folded_and_nfkc_normalised(
    parts: ConsoleParts,
) -> None:
    await parts.accounts.create_user(username="Alice", password=PASSWORD, role=UserRole.TRAINEE)
    for variant in ("alice", "ALICE", " alice ", "Ａｌｉｃｅ"):
        with pytest.raises(ConflictError):
            await parts.accounts.create_user(
                username=variant, password=PASSWORD, role=UserRole.TRAINEE
            )
    signed = await parts.accounts.login(username="ＡＬＩＣＥ", password=PASSWORD, address="a")
    assert signed.user.username == "Alice"


async def test_mixed_script_look_alike_usernames_are_refused(parts: ConsoleParts) -> None:
    for spoof in ("pаypal", "аdmin", "trаiner"):  # each with a Cyrillic а
        with pytest.raises(LookalikeUsernameError):
            await parts.accounts.create_user(
                username=spoof, password=PASSWORD, role=UserRole.TRAINEE
            )
    for fine in ("张伟", "li张伟", "Ναταλία"):  # Han, Latin with Han, all Greek
        user = await parts.accounts.create_user(
            username=fine, password=PASSWORD, role=UserRole.TRAINEE
        )
        assert user.username == fine


async def test_deactivation_ends_the_users_browser_sessions(parts: ConsoleParts) -> None:
    admin = await parts.accounts.create_user(
        username="root", password=PASSWORD, role=UserRole.ADMIN
    )
    me = Actor(id=admin.id, role=UserRole.ADMIN)
    user = await parts.accounts.create_user(
        username="leaver", password=PASSWORD, role=UserRole.TRAINEE
    )
    first = await parts.accounts.login(username="leaver", password=PASSWORD, address="a")
    second = await parts.accounts.login(username="leaver", password=PASSWORD, address="b")
    await parts.accounts.set_active(me, user.id, active=False)
    assert await parts.accounts.signed_in(first.token) is None
    assert await parts.accounts.signed_in(second.token) is None
    with pytest.raises(InvalidCredentialsError):
        await parts.accounts.login(username="leaver", password=PASSWORD, address="a")
    await parts.accounts.set_active(me, user.id, active=True)
    assert await parts.accounts.signed_in(first.token) is None  # ended, not suspended
    assert (await parts.accounts.login(username="leaver", password=PASSWORD, address="a")).token


async def test_a_reset_link_works_once_and_ends_old_sessions(parts: ConsoleParts) -> None:
    admin = await parts.accounts.create_user(
        username="root", password=PASSWORD, role=UserRole.ADMIN
    )
    me = Actor(id=admin.id, role=UserRole.ADMIN)
    user = await parts.accounts.create_user(
        username="forgot", password=PASSWORD, role=UserRole.TRAINEE
    )
    old = await parts.accounts.login(username="forgot", password=PASSWORD, address="a")
    replaced = await parts.accounts.issue_reset(me, user.id)
    link = await parts.accounts.issue_reset(me, user.id)  # a new link replaces the old one
    with pytest.raises(NotFoundError):
        await parts.accounts.reset_target(replaced.token)
    assert (await parts.accounts.reset_target(link.token)).username == "forgot"
    signed = await parts.accounts.complete_reset(token=link.token, password="brand new words 7")
    assert signed.user.id == user.id
    assert await parts.accounts.signed_in(old.token) is None
    with pytest.raises(NotFoundError):
        await parts.accounts.complete_reset(token=link.token, password="another new one 8")
    assert await parts.accounts.login(username="forgot", password="brand new words 7", address="a")


async def test_changing_ones_password_needs_the_current_one_and_ends_other_sessions(
    parts: ConsoleParts,
) -> None:
    await parts.accounts.create_user(username="mover", password=PASSWORD, role=UserRole.TRAINEE)
    here = await parts.accounts.login(username="mover", password=PASSWORD, address="a")
    there = await parts.accounts.login(username="mover", password=PASSWORD, address="b")
    me = await parts.accounts.signed_in(here.token)
    assert me is not None
    with pytest.raises(InvalidCredentialsError):
        await parts.accounts.change_password(me, current="not it at all", new="x" * 12, address="a")
    renewed = await parts.accounts.change_password(
        me, current=PASSWORD, new="a fresh pass phrase", address="a"
    )
    assert await parts.accounts.signed_in(there.token) is None
    assert await parts.accounts.signed_in(renewed.token) is not None
    assert WrongPasswordError.code == "wrong_password"

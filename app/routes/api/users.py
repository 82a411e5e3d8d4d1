"""/api/users, /api/me and /api/cohorts: admins manage users (roles, deactivation, reset
links); anyone changes their own password; trainers manage cohorts, members and invites."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response

from app.domain.accounts.access import UserRole
from app.domain.accounts.users import Invite, Member
from app.routes.api.auth import set_session_cookie, user_out
from app.routes.deps import (
    AccountsDep,
    AdminUser,
    CohortsDep,
    CurrentUser,
    SettingsDep,
    TrainerUser,
    client_address,
)
from app.routes.messages import (
    ActiveIn,
    CohortIn,
    CohortOut,
    InviteIn,
    InviteOut,
    LanguageIn,
    LoginOut,
    MemberOut,
    PasswordChangeIn,
    ResetLinkOut,
    RoleIn,
    UserCreateIn,
    UserOut,
)
from app.settings import Settings

router = APIRouter(prefix="/api", tags=["users"])


def origin_of(request: Request, settings: Settings) -> str:
    """Where links given to other people point: the public origin, else this request's."""
    return (settings.public_origin or str(request.base_url)).rstrip("/")


def invite_out(invite: Invite, *, now: datetime, origin: str) -> InviteOut:
    return InviteOut(
        code=invite.code,
        cohort_id=invite.cohort_id,
        max_uses=invite.max_uses,
        uses=invite.uses,
        expires_at=invite.expires_at,
        revoked_at=invite.revoked_at,
        status=invite.status(now).value,
        link=f"{origin}/register?code={invite.code}",
    )


def member_out(member: Member) -> MemberOut:
    return MemberOut(**asdict(member) | {"role": member.role.value})


@router.get("/users")
async def list_users(user: TrainerUser, accounts: AccountsDep) -> list[UserOut]:
    """Admins see everyone; trainers see their cohorts' trainees."""
    return [user_out(u) for u in await accounts.users(user.actor)]


@router.post("/users", status_code=201)
async def create_user(body: UserCreateIn, user: AdminUser, accounts: AccountsDep) -> UserOut:
    created = await accounts.create_user_as(
        user.actor, username=body.username, password=body.password, role=UserRole(body.role)
    )
    return user_out(created)


@router.put("/users/{user_id}/role")
async def set_role(user_id: UUID, body: RoleIn, user: AdminUser, accounts: AccountsDep) -> UserOut:
    """Admins; the last active admin cannot give the role up (409 last_admin)."""
    return user_out(await accounts.set_role(user.actor, user_id, UserRole(body.role)))


@router.put("/users/{user_id}/active")
async def set_active(
    user_id: UUID, body: ActiveIn, user: AdminUser, accounts: AccountsDep
) -> UserOut:
    """Admins: deactivating signs the user out everywhere; reactivating lets them back in."""
    return user_out(await accounts.set_active(user.actor, user_id, active=body.active))


@router.post("/users/{user_id}/password-reset", status_code=201)
async def password_reset(
    request: Request, user_id: UUID, user: AdminUser, accounts: AccountsDep, settings: SettingsDep
) -> ResetLinkOut:
    """Admins: a one-time link (24 hours) for the user to set a new password."""
    link = await accounts.issue_reset(user.actor, user_id)
    return ResetLinkOut(
        user_id=user_id,
        link=f"{origin_of(request, settings)}/reset?token={link.token}",
        expires_at=link.expires_at,
    )


@router.put("/me/language", status_code=204)
async def set_language(body: LanguageIn, user: CurrentUser, accounts: AccountsDep) -> None:
    await accounts.set_language(user.user, body.language)


@router.put("/me/password")
async def change_password(
    request: Request,
    response: Response,
    body: PasswordChangeIn,
    user: CurrentUser,
    accounts: AccountsDep,
) -> LoginOut:
    """Any signed-in user: other browser sessions end; this one gets a new cookie."""
    signed = await accounts.change_password(
        user, current=body.current, new=body.new, address=client_address(request)
    )
    set_session_cookie(request, response, signed)
    return LoginOut(user=user_out(signed.user), csrf_token=signed.csrf_token)


@router.get("/cohorts")
async def list_cohorts(user: TrainerUser, cohorts: CohortsDep) -> list[CohortOut]:
    """Trainers: their cohorts; admins: all."""
    return [CohortOut(**asdict(c)) for c in await cohorts.visible(user.actor)]


@router.post("/cohorts", status_code=201)
async def create_cohort(body: CohortIn, user: TrainerUser, cohorts: CohortsDep) -> CohortOut:
    return CohortOut(**asdict(await cohorts.create(user.actor, name=body.name)))


@router.patch("/cohorts/{cohort_id}")
async def rename_cohort(
    cohort_id: UUID, body: CohortIn, user: TrainerUser, cohorts: CohortsDep
) -> CohortOut:
    return CohortOut(**asdict(await cohorts.rename(user.actor, cohort_id, name=body.name)))


@router.get("/cohorts/{cohort_id}/members")
async def cohort_members(
    cohort_id: UUID, user: TrainerUser, cohorts: CohortsDep
) -> list[MemberOut]:
    return [member_out(m) for m in await cohorts.members(user.actor, cohort_id)]


@router.post("/cohorts/{cohort_id}/invites", status_code=201)
async def create_invite(
    request: Request,
    cohort_id: UUID,
    body: InviteIn,
    user: TrainerUser,
    cohorts: CohortsDep,
    settings: SettingsDep,
) -> InviteOut:
    """An invite code with a number of uses and an expiry (days), and its link."""
    invite = await cohorts.create_invite(
        user.actor, cohort_id=cohort_id, max_uses=body.max_uses, days=body.days
    )
    return invite_out(invite, now=cohorts.now(), origin=origin_of(request, settings))


@router.get("/cohorts/{cohort_id}/invites")
async def list_invites(
    request: Request, cohort_id: UUID, user: TrainerUser, cohorts: CohortsDep, settings: SettingsDep
) -> list[InviteOut]:
    origin = origin_of(request, settings)
    return [
        invite_out(i, now=cohorts.now(), origin=origin)
        for i in await cohorts.invites(user.actor, cohort_id)
    ]


@router.post("/invites/{code}/revoke")
async def revoke_invite(
    request: Request,
    code: Annotated[str, Path(max_length=32)],
    user: TrainerUser,
    cohorts: CohortsDep,
    settings: SettingsDep,
) -> InviteOut:
    """The cohort's trainer (or an admin): the code stops working at once."""
    invite = await cohorts.revoke_invite(user.actor, code)
    return invite_out(invite, now=cohorts.now(), origin=origin_of(request, settings))

"""/api/users and /api/cohorts: admins manage users; trainers manage cohorts and invites."""

from dataclasses import asdict
from uuid import UUID

from fastapi import APIRouter

from app.domain.accounts.access import UserRole
from app.routes.api.auth import user_out
from app.routes.deps import AccountsDep, AdminUser, CurrentUser, TrainerUser
from app.routes.messages import (
    CohortIn,
    CohortOut,
    InviteIn,
    InviteOut,
    LanguageIn,
    RoleIn,
    UserCreateIn,
    UserOut,
)

router = APIRouter(prefix="/api", tags=["users"])


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
    return user_out(await accounts.set_role(user.actor, user_id, UserRole(body.role)))


@router.put("/me/language", status_code=204)
async def set_language(body: LanguageIn, user: CurrentUser, accounts: AccountsDep) -> None:
    await accounts.set_language(user.user, body.language)


@router.get("/cohorts")
async def list_cohorts(user: TrainerUser, accounts: AccountsDep) -> list[CohortOut]:
    return [CohortOut(**asdict(c)) for c in await accounts.cohorts(user.actor)]


@router.post("/cohorts", status_code=201)
async def create_cohort(body: CohortIn, user: TrainerUser, accounts: AccountsDep) -> CohortOut:
    return CohortOut(**asdict(await accounts.create_cohort(user.actor, name=body.name)))


@router.post("/cohorts/{cohort_id}/invites", status_code=201)
async def create_invite(
    cohort_id: UUID, body: InviteIn, user: TrainerUser, accounts: AccountsDep
) -> InviteOut:
    invite = await accounts.create_invite(user.actor, cohort_id=cohort_id, max_uses=body.max_uses)
    return InviteOut(**asdict(invite))


@router.get("/cohorts/{cohort_id}/invites")
async def list_invites(
    cohort_id: UUID, user: TrainerUser, accounts: AccountsDep
) -> list[InviteOut]:
    return [InviteOut(**asdict(i)) for i in await accounts.invites(user.actor, cohort_id)]

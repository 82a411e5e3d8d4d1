"""Who may see or change what, as pure predicates: the API, the pages and the websocket all
ask these, so they enforce one rule."""

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class UserRole(StrEnum):
    TRAINEE = "trainee"
    TRAINER = "trainer"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user as access rules see them. `cohorts` are the cohorts a trainer runs."""

    id: UUID
    role: UserRole
    cohort_id: UUID | None = None
    cohorts: frozenset[UUID] = frozenset()


@dataclass(frozen=True, slots=True)
class Owner:
    """The owner of a practice session: a user and the cohort they belonged to."""

    user_id: UUID
    cohort_id: UUID | None


def may_view_session(actor: Actor, owner: Owner) -> bool:
    """Trainees see their own sessions; trainers their cohorts' trainees'; admins all."""
    if actor.role is UserRole.ADMIN or actor.id == owner.user_id:
        return True
    return (
        actor.role is UserRole.TRAINER
        and owner.cohort_id is not None
        and (owner.cohort_id in actor.cohorts)
    )


def may_practise_in(actor: Actor, owner: Owner) -> bool:
    """Only the trainee who owns a session may speak in it."""
    return actor.id == owner.user_id


def may_review(actor: Actor, owner: Owner) -> bool:
    """Override labels and comment: trainers of the owner's cohort, and admins."""
    if actor.role is UserRole.ADMIN:
        return True
    return actor.role is UserRole.TRAINER and owner.cohort_id in actor.cohorts


def may_manage_cohort(actor: Actor, cohort_id: UUID) -> bool:
    return actor.role is UserRole.ADMIN or (
        actor.role is UserRole.TRAINER and cohort_id in actor.cohorts
    )


def may_create_cohort(actor: Actor) -> bool:
    return actor.role in (UserRole.TRAINER, UserRole.ADMIN)


def may_manage_users(actor: Actor) -> bool:
    return actor.role is UserRole.ADMIN


def may_author_scenarios(actor: Actor) -> bool:
    return actor.role in (UserRole.TRAINER, UserRole.ADMIN)


def may_analyse_calls(actor: Actor) -> bool:
    """Score a real call's transcript: trainers and admins."""
    return actor.role in (UserRole.TRAINER, UserRole.ADMIN)


def may_see_all_analyses(actor: Actor) -> bool:
    return actor.role is UserRole.ADMIN


def may_see_analysis(actor: Actor, owner_id: UUID) -> bool:
    """A saved real-call analysis: the trainer who made it, and admins (it is the trainer's
    material, possibly a customer's words, not the cohort's)."""
    return may_see_all_analyses(actor) or (actor.role is UserRole.TRAINER and actor.id == owner_id)


def may_reply(actor: Actor, owner: Owner) -> bool:
    """A trainee answers the comments on their own calls (issue 15 item 4)."""
    return actor.id == owner.user_id


def may_change_scenario(actor: Actor, author_id: UUID) -> bool:
    """Edit, disable or delete an authored scenario: its author, and admins."""
    return actor.role is UserRole.ADMIN or (
        actor.role is UserRole.TRAINER and actor.id == author_id
    )

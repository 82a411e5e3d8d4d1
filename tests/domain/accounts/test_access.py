"""The authorisation rules as a matrix: every role against every kind of owner."""

from uuid import UUID, uuid4

import pytest

from app.domain.accounts.access import (
    Actor,
    Owner,
    UserRole,
    may_author_scenarios,
    may_create_cohort,
    may_manage_cohort,
    may_manage_users,
    may_practise_in,
    may_review,
    may_see_analysis,
    may_view_session,
)

COHORT = uuid4()
OTHER_COHORT = uuid4()
TRAINEE = Actor(id=uuid4(), role=UserRole.TRAINEE, cohort_id=COHORT)
PEER = Actor(id=uuid4(), role=UserRole.TRAINEE, cohort_id=COHORT)
TRAINER = Actor(id=uuid4(), role=UserRole.TRAINER, cohort_id=None, cohorts=frozenset({COHORT}))
STRANGER_TRAINER = Actor(
    id=uuid4(), role=UserRole.TRAINER, cohort_id=None, cohorts=frozenset({OTHER_COHORT})
)
ADMIN = Actor(id=uuid4(), role=UserRole.ADMIN)
OWN = Owner(user_id=TRAINEE.id, cohort_id=COHORT)

# (actor, may view, may practise, may review) for the trainee's own session
MATRIX = [
    (TRAINEE, True, True, False),
    (PEER, False, False, False),
    (TRAINER, True, False, True),
    (STRANGER_TRAINER, False, False, False),
    (ADMIN, True, False, True),
]


@pytest.mark.parametrize(("actor", "view", "practise", "review"), MATRIX)
def test_session_access_matrix(actor: Actor, view: bool, practise: bool, review: bool) -> None:
    assert may_view_session(actor, OWN) is view
    assert may_practise_in(actor, OWN) is practise
    assert may_review(actor, OWN) is review


def test_trainer_sees_no_session_without_cohort() -> None:
    loner = Owner(user_id=uuid4(), cohort_id=None)
    assert not may_view_session(TRAINER, loner)
    assert may_view_session(ADMIN, loner)


@pytest.mark.parametrize(
    ("actor", "cohort", "manage", "create", "users", "author"),
    [
        (TRAINEE, COHORT, False, False, False, False),
        (TRAINER, COHORT, True, True, False, True),
        (TRAINER, OTHER_COHORT, False, True, False, True),
        (ADMIN, OTHER_COHORT, True, True, True, True),
    ],
)
def test_cohort_and_user_management_matrix(
    actor: Actor, cohort: UUID, manage: bool, create: bool, users: bool, author: bool
) -> None:
    assert may_manage_cohort(actor, cohort) is manage
    assert may_create_cohort(actor) is create
    assert may_manage_users(actor) is users
    assert may_author_scenarios(actor) is author


def test_a_saved_analysis_is_seen_by_its_trainer_and_admins_only() -> None:
    owner = uuid4()
    trainer = Actor(id=owner, role=UserRole.TRAINER, cohort_id=None, cohorts=frozenset())
    other = Actor(id=uuid4(), role=UserRole.TRAINER, cohort_id=None, cohorts=frozenset())
    admin = Actor(id=uuid4(), role=UserRole.ADMIN, cohort_id=None, cohorts=frozenset())
    trainee = Actor(id=owner, role=UserRole.TRAINEE, cohort_id=None, cohorts=frozenset())
    assert may_see_analysis(trainer, owner)
    assert may_see_analysis(admin, owner)
    assert not may_see_analysis(other, owner)
    assert not may_see_analysis(trainee, owner)

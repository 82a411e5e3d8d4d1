"""Replaying a call reads each move's stored reading (issue 11): a replay after a crash, a
retry or a rescore makes the same decisions even when the lexicon has changed since."""

from datetime import UTC, datetime
from uuid import uuid4

from app.domain.accounts.access import Owner
from app.domain.call.replay import Cast, director_for, replay
from app.domain.call.session import Mode, PracticeSession, SessionKind, Status, StoredTurn
from app.domain.director.state import DiscoveryState
from app.domain.language import Language
from app.domain.reading.lexicon import Lexicon
from app.domain.reading.reading import Reading
from app.domain.style import StyleName
from app.domain.transcript import Role, Turn
from tests.factories import P, make_lexicon, make_scenario, make_style


def _session() -> PracticeSession:
    return PracticeSession(
        id=uuid4(),
        owner=Owner(user_id=uuid4(), cohort_id=None),
        scenario_id="test-plant",
        style=StyleName.DRIVER,
        style_hidden=False,
        language=Language.EN,
        mode=Mode.COACH,
        kind=SessionKind.PRACTICE,
        seed=3,
        status=Status.ACTIVE,
        state=DiscoveryState(),
        created_at=datetime.now(UTC),
    )


def _move(text: str, reading: Reading | None) -> StoredTurn:
    turn = Turn(1, Role.TRAINEE, text, label=P)
    return StoredTurn(uuid4(), uuid4(), turn, None, datetime.now(UTC), reading=reading)


def test_replay_uses_the_stored_reading_not_a_new_one() -> None:
    cast = Cast({StyleName.DRIVER: make_style(StyleName.DRIVER)}, make_lexicon())
    director = director_for(_session(), make_scenario(), cast)
    vague = "How are things going on that front?"
    assert director.read(DiscoveryState(), vague).topics() == ()
    stored = Reading(scores={"operator-turnover": 6.0}, source="llm:m:abc")
    replayed = replay(director, _session(), [_move(vague, stored)])
    assert "operator-turnover" in replayed.state.problems


def test_a_changed_lexicon_does_not_change_a_replay_of_stored_readings() -> None:
    session = _session()
    text = "Do people quit a lot?"
    styles = {StyleName.DRIVER: make_style()}
    old = director_for(session, make_scenario(), Cast(styles, make_lexicon()))
    reading = old.read(DiscoveryState(), text)
    bare = Cast(styles, Lexicon([]))
    new = director_for(session, make_scenario(), bare)
    assert new.read(DiscoveryState(), text).scores != reading.scores
    first = replay(old, session, [_move(text, reading)])
    again = replay(new, session, [_move(text, reading)])
    assert first.state.problems == again.state.problems == {"operator-turnover": 1}

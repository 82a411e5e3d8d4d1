from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.codec import CodecError, from_plain, to_plain, to_record
from app.domain.language import Language
from app.domain.scorecard.card import Scorecard, score
from app.domain.scorecard.progress import (
    SessionPoint,
    progress,
    session_point,
)
from app.domain.style import StyleName
from tests.domain.scorecard.scoring_fixtures import bad_call, good_call, make_scoring_scenario


def test_progress_orders_sessions_and_reports_first_best_latest_and_lift() -> None:
    points = [
        SessionPoint("c", "2026-03-03T10:00:00+00:00", 61, {"situation": 0.2}, 0.5),
        SessionPoint("a", "2026-03-01T10:00:00Z", 40, {"situation": 0.6}, 0.25),
        SessionPoint("b", datetime(2026, 3, 2, 10, tzinfo=UTC), 75, {"situation": 0.3}, 0.375),
    ]
    result = progress(points)
    assert [p.session_id for p in result.points] == ["a", "b", "c"]
    assert result.first is not None
    assert result.first.session_id == "a"
    assert result.best is not None
    assert result.best.session_id == "b"
    assert result.latest is not None
    assert result.latest.session_id == "c"
    assert result.lift == 21
    assert result.best_lift == 35
    assert result.discovery_lift == pytest.approx(0.25)
    assert result.points[0].mix["situation"] == 0.6
    assert result.points[0].mix["need_payoff"] == 0.0
    assert result.points[1].ended_at == "2026-03-02T10:00:00+00:00"


def test_progress_compares_times_across_offsets_and_takes_naive_times_as_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    points = [
        SessionPoint("late", datetime(2026, 3, 1, 17, tzinfo=shanghai), 50),  # 09:00 UTC
        SessionPoint("early", "2026-03-01T08:30:00", 30),
    ]
    result = progress(points)
    assert [p.session_id for p in result.points] == ["early", "late"]
    assert result.points[1].ended_at == "2026-03-01T09:00:00+00:00"


def test_progress_of_one_session_has_no_lift_and_of_none_is_empty() -> None:
    one = progress([SessionPoint("a", "2026-03-01T10:00:00Z", 40)])
    assert one.first == one.latest == one.best
    assert one.lift is None
    assert one.best_lift is None
    assert one.discovery_lift is None
    empty = progress([])
    assert empty.points == ()
    assert empty.first is None
    assert empty.lift is None


def test_session_point_from_scorecards_charts_the_lift_between_two_calls() -> None:
    scenario = make_scoring_scenario()
    cards = []
    for call in (bad_call(Language.EN), good_call(Language.EN)):
        cards.append(
            score(
                transcript=call.transcript,
                state=call.state,
                scenario=scenario,
                style=StyleName.DRIVER,
                language=Language.EN,
            )
        )
    points = [
        session_point("s1", "2026-03-01T10:00:00Z", cards[0]),
        session_point("s2", "2026-03-02T10:00:00Z", cards[1]),
    ]
    result = progress(points)
    assert result.lift == cards[1].overall - cards[0].overall
    assert result.points[0].mix["situation"] == pytest.approx(10 / 13, abs=1e-4)
    assert result.points[1].discovery_rate == cards[1].discovery.rate
    assert result.latest is not None
    assert result.latest.session_id == "s2"
    assert result.latest.ended_at == "2026-03-02T10:00:00+00:00"
    assert result.latest.overall == cards[1].overall


def test_progress_rejects_a_time_that_is_not_iso() -> None:
    with pytest.raises(ValueError, match="Invalid isoformat"):
        progress([SessionPoint("a", "yesterday", 40)])


def test_session_point_from_a_stored_scorecard_matches_the_live_one() -> None:
    good = good_call(Language.ZH)
    card = score(
        transcript=good.transcript,
        state=good.state,
        scenario=make_scoring_scenario(),
        style=StyleName.AMIABLE,
        language=Language.ZH,
    )
    live = session_point("s", "2026-03-01T10:00:00Z", card)
    stored = session_point("s", "2026-03-01T10:00:00Z", from_plain(Scorecard, to_plain(card)))
    assert stored == live
    with pytest.raises(CodecError, match="overall"):
        from_plain(Scorecard, {**to_record(card), "overall": "high"})

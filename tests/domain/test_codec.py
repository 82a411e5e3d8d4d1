"""The one JSON codec: domain values survive a round trip through JSON text, and data of the
wrong shape is refused with the path of the mismatch."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

import pytest

from app.domain.call.session import DrillKind, PlannedQuestion, SessionOptions
from app.domain.codec import CodecError, from_plain, to_plain, to_record
from app.domain.director.state import DiscoveryState, Mood, Stance
from app.domain.labels import Label, Move, MoveKind, SpinLabel
from app.domain.style import StyleName


@dataclass(frozen=True, slots=True)
class Sample:
    when: datetime
    who: UUID
    ratio: float
    tags: tuple[str, ...] = ()
    pair: tuple[str, int] = ("a", 1)
    scores: dict[SpinLabel, int] = field(default_factory=dict)
    note: str | None = None


def _json(value: object) -> object:
    return json.loads(json.dumps(to_plain(value), ensure_ascii=False))


def test_values_round_trip_through_json_text() -> None:
    sample = Sample(
        when=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        who=UUID(int=7),
        ratio=0.5,
        tags=("x", "y"),
        pair=("b", 2),
        scores={SpinLabel.PROBLEM: 3},
    )
    assert from_plain(Sample, _json(sample)) == sample


def test_session_options_with_a_plan_round_trip() -> None:
    label = Label(MoveKind.QUESTION, SpinLabel.IMPLICATION, None, True, 0.8, ("t",), "offline")
    options = SessionOptions(
        plan=(PlannedQuestion("What does it cost?", label),),
        drill=DrillKind.NEED_PAYOFF,
        style_guess=StyleName.DRIVER,
        retry_of=UUID(int=1),
        retry_from=4,
    )
    assert from_plain(SessionOptions, _json(options)) == options


def test_discovery_state_with_moods_and_objections_round_trips() -> None:
    state = DiscoveryState(
        problems={"p": 3},
        objections=[("price", 5)],
        moods=[Mood(3, Stance.WARMING, 60, 55)],
    )
    restored = from_plain(DiscoveryState, _json(state))
    assert restored == state
    assert restored.objections == [("price", 5)]


def test_unknown_keys_are_ignored_and_missing_ones_take_their_default() -> None:
    data = {"when": "2026-01-01T00:00:00+00:00", "who": str(UUID(int=2)), "ratio": 1, "extra": 9}
    sample = from_plain(Sample, data)
    assert sample.ratio == 1.0
    assert sample.tags == ()
    assert sample.note is None


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"who": str(UUID(int=2)), "ratio": 1.0}, "$.when: missing"),
        ({"when": "yesterday", "who": str(UUID(int=2)), "ratio": 1.0}, "$.when"),
        ({"when": "2026-01-01T00:00:00", "who": "nope", "ratio": 1.0}, "$.who"),
        ({"when": "2026-01-01T00:00:00", "who": str(UUID(int=2)), "ratio": "x"}, "$.ratio"),
        (
            {"when": "2026-01-01T00:00:00", "who": str(UUID(int=2)), "ratio": 1, "pair": [1]},
            "$.pair",
        ),
        ([], "expected an object"),
    ],
)
def test_data_of_the_wrong_shape_is_refused_with_its_path(data: object, where: str) -> None:
    with pytest.raises(CodecError, match=where.replace("$", r"\$")):
        from_plain(Sample, data)


def test_an_enum_value_outside_the_set_is_refused() -> None:
    with pytest.raises(CodecError, match="not a SpinLabel"):
        from_plain(
            Label,
            {"kind": "question", "label": "gossip", "move": None, "open": True, "confidence": 1.0},
        )


def test_a_record_is_a_json_object() -> None:
    assert to_record(Label(MoveKind.STATEMENT, SpinLabel.OTHER, Move.PITCH, None, 1.0)) == {
        "kind": "statement",
        "label": "other",
        "move": "pitch",
        "open": None,
        "confidence": 1.0,
        "topics": [],
        "source": "offline",
        "scores": {},
        "secondary": None,
    }
    with pytest.raises(CodecError, match="not a record"):
        to_record(3)

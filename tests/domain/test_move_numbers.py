"""Turn numbers people see count the trainee's own moves (issue 11)."""

from app.domain.transcript import MoveNumbers, Role, Turn


def _turns(roles: str) -> list[Turn]:
    return [Turn(seq, Role.TRAINEE if r == "t" else Role.BUYER, "x") for seq, r in enumerate(roles)]


def test_a_live_call_numbers_the_trainees_moves_one_two_three() -> None:
    numbers = MoveNumbers.of_transcript(_turns("btbtbt"))
    assert [numbers.of(s) for s in (1, 3, 5)] == [1, 2, 3]
    assert numbers.of(4) == 2  # a buyer turn belongs to the move it answered
    assert numbers.text([5, 1, 3, 1]) == "1, 2, 3"


def test_a_real_call_with_consecutive_seller_turns_still_counts_moves() -> None:
    numbers = MoveNumbers.of_transcript(_turns("ttbtt"))
    assert [numbers.of(s) for s in (0, 1, 3, 4)] == [1, 2, 3, 4]


def test_a_card_stored_without_its_moves_assumes_alternation() -> None:
    assert [MoveNumbers().of(s) for s in (1, 3, 5)] == [1, 2, 3]

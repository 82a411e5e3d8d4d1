"""Parsing real-call transcripts: speaker prefixes in both languages, CSV, continuations."""

import pytest

from app.domain.call.real_call import parse_csv, parse_text
from app.domain.errors import ValidationFailedError
from app.domain.transcript import Role


def test_known_speaker_names_decide_roles_in_both_languages() -> None:
    lines = parse_text("Customer: Hi.\nSeller: How many sites?\n销售：有几个厂？\n客户：三个。")
    assert [line.role for line in lines] == [Role.BUYER, Role.TRAINEE, Role.TRAINEE, Role.BUYER]


def test_unknown_names_make_the_first_speaker_the_seller_unless_told() -> None:
    text = "Li: How is the scheduling going?\nWang: Not great.\n"
    assert [x.role for x in parse_text(text)] == [Role.TRAINEE, Role.BUYER]
    assert [x.role for x in parse_text(text, seller="Wang")] == [Role.BUYER, Role.TRAINEE]


def test_lines_without_prefix_continue_the_turn() -> None:
    lines = parse_text("Rep: First part\nsecond part\nBuyer: ok")
    assert lines[0].text == "First part second part"


def test_csv_with_speaker_and_text_columns() -> None:
    lines = parse_csv("speaker,text\nSeller,How many lines?\nBuyer,Four.\n")
    assert [(x.role, x.text) for x in lines] == [
        (Role.TRAINEE, "How many lines?"),
        (Role.BUYER, "Four."),
    ]


@pytest.mark.parametrize("text", ["just words without speakers", "Buyer: only the buyer talks"])
def test_unusable_transcripts_get_a_clear_error(text: str) -> None:
    with pytest.raises(ValidationFailedError):
        parse_text(text)


def test_csv_with_old_mac_line_endings_reads_its_rows() -> None:
    """A bare carriage return ends a row (csv with newline=""), it is not a server error."""
    lines = parse_csv("speaker,text\rSeller,How many sites?\rCustomer,Two.\r")
    assert [(line.role, line.text) for line in lines] == [
        (Role.TRAINEE, "How many sites?"),
        (Role.BUYER, "Two."),
    ]


def test_csv_the_csv_module_cannot_read_is_invalid_input() -> None:
    huge = "speaker,text\nSeller," + "x" * 140_000 + "\n"  # past csv's field size limit
    with pytest.raises(ValidationFailedError, match="cannot be read"):
        parse_csv(huge)
    with pytest.raises(ValidationFailedError):
        parse_csv("\U000d7e72ú®\rR")  # found by schemathesis: a 500 before

"""Parsing real-call transcripts: speaker prefixes in both languages, CSV, continuations."""

import subprocess
import sys

import pytest

from app.domain.call.real_call import MAX_TURNS, parse_csv, parse_text, speaker_prefix
from app.domain.errors import ValidationFailedError
from app.domain.transcript import Role
from tests.support.paths import ROOT


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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Seller: How many sites?", ("Seller", "How many sites?")),
        ("  [Rep] :  Hi there ", ("Rep", "Hi there")),
        ("[Account Manager]: ok", ("Account Manager", "ok")),
        ("客户：三个。", ("客户", "三个。")),
        ("Buyer: at 10:30 then", ("Buyer", "at 10:30 then")),
        ("Seller:", None),  # nothing said
        (": no name", None),
        ("x" * 31 + ": too long a name", None),
        ("just a sentence", None),
    ],
)
def test_speaker_prefixes(line: str, expected: tuple[str, str] | None) -> None:
    assert speaker_prefix(line) == expected


def test_a_long_line_of_spaces_is_read_in_one_pass() -> None:
    """The old prefix pattern backtracked on this line for hours (issue 14); a linear reader
    finishes at once. The deadline only stops a hang: it is far above any honest run."""
    code = (
        "from app.domain.call.real_call import parse_text\n"
        "lines = parse_text('Seller: hi\\n' + ' ' * 200_000 + 'x')\n"
        "assert lines[0].text == 'hi x'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0


def test_a_transcript_over_the_turn_limit_is_refused_without_reading_it_all() -> None:
    text = "Seller: hi\nBuyer: yes\n" * (MAX_TURNS // 2 + 1)
    with pytest.raises(ValidationFailedError, match="at most"):
        parse_text(text)


def test_a_csv_field_over_the_csv_module_limit_gets_a_clear_error() -> None:
    with pytest.raises(ValidationFailedError, match="cannot be read"):
        parse_csv('speaker,text\nSeller,"' + "x" * 140_000 + '"\n')

"""The evaluation sets cannot leak into what they judge: no question of theirs, nor any
sentence of one, appears in a scenario, the lexicon, a prompt or a training file (issue 11;
corpus/understanding/README.md)."""

import json
import re
from pathlib import Path

import pytest
import yaml

from app.domain.text import fold
from tests.support.paths import CORPUS, PERSONAS, PROMPTS

EVAL_FILES = [*sorted((CORPUS / "understanding").glob("*.jsonl")), CORPUS / "heldout_calls.jsonl"]
JUDGED = [
    *sorted(PERSONAS.rglob("*.yaml")),
    *sorted(PROMPTS.glob("*")),
    *sorted(CORPUS.glob("train_*.jsonl")),
]
_SENTENCE = re.compile(r"[^.?!。？！；;]+")


def _texts(path: Path) -> list[str]:
    found: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if "text" in record:
            found.append(record["text"])
        for move in record.get("moves", []):
            found.append(move["text"] if isinstance(move, dict) else str(move))
    return found


def _telling(piece: str) -> bool:
    return len(piece.split()) >= 8 or (not piece.isascii() and len(piece) >= 12)


def _pieces(text: str) -> set[str]:
    """The text and each of its sentences long enough to be telling (8 words, 12 characters:
    shorter ones are phrases every seller uses, "what would that mean for you", and are
    checked only as whole lines)."""
    whole = " ".join(fold(text).split())
    pieces = {whole} if _telling(whole) else set()
    for sentence in _SENTENCE.findall(fold(text)):
        sentence = " ".join(sentence.split())
        if _telling(sentence):
            pieces.add(sentence)
    return pieces


def _lines(paths: list[Path]) -> set[str]:
    """Every judged line, whole and folded, for the exact check of short texts."""
    found: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text", "") if path.suffix == ".jsonl" and line else line
            found.add(" ".join(fold(str(text)).split()).strip("- "))
    return found


@pytest.fixture(scope="module")
def judged_text() -> str:
    return "\n".join(" ".join(fold(p.read_text(encoding="utf-8")).split()) for p in JUDGED)


def test_every_evaluation_file_is_read() -> None:
    assert len(EVAL_FILES) >= 7
    assert all(_texts(path) for path in EVAL_FILES)


@pytest.mark.parametrize("path", EVAL_FILES, ids=lambda p: p.name)
def test_no_evaluation_text_appears_in_what_it_judges(path: Path, judged_text: str) -> None:
    leaked = [piece for text in _texts(path) for piece in _pieces(text) if piece in judged_text]
    assert leaked == []
    judged_lines = _lines(JUDGED)
    repeated = [t for t in _texts(path) if " ".join(fold(t).split()) in judged_lines]
    assert repeated == []


def test_the_check_would_catch_a_leak(judged_text: str) -> None:
    scenario = yaml.safe_load((PERSONAS / "scenarios" / "plant-operators.yaml").read_text("utf-8"))
    authored = scenario["problems"][0]["example_question"]
    for text in authored.values():
        assert any(piece in judged_text for piece in _pieces(text))

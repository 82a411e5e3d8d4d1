"""The corpus files' own rules (corpus/README.md): the dialogue JSONL is what the converter
makes of its Markdown, and development and training moves stay out of the held-out files."""

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from app.domain.classifier.features import normalise
from tests.support.paths import ROOT

CORPUS = ROOT / "corpus"


def _converter() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dialogue_corpus", ROOT / "scripts" / "dialogue_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {normalise(json.loads(line)["text"]) for line in lines if line.strip()}


@pytest.mark.parametrize(
    ("markdown", "jsonl"), [("train_calls", "train_calls"), ("dev_calls", "dev_calls")]
)
def test_dialogue_jsonl_is_generated_from_its_markdown(markdown: str, jsonl: str) -> None:
    source = (CORPUS / f"{markdown}_dialogues.md").read_text(encoding="utf-8").splitlines()
    records = _converter().convert(source)
    stored = (CORPUS / f"{jsonl}.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in stored] == records, "run scripts/dialogue_corpus.py"


def test_a_seller_move_gets_the_buyer_turn_before_it_as_context() -> None:
    records = _converter().convert(
        [
            "## en-x1: test",
            "S other/rapport: Hello!",
            "B: Hi, go ahead.",
            "S situation: How many sites?",
            "S problem: Any trouble with them?",
        ]
    )
    assert [r["context"] for r in records] == ["", "Hi, go ahead.", ""]
    assert records[0]["move"] == "rapport"
    assert all(r["lang"] == "en" and r["source"] == "dialogue:en-x1" for r in records)
    with pytest.raises(ValueError, match="line 2"):
        _converter().convert(["## en-x2: test", "S opinion: What?"])


def test_development_moves_are_neither_training_nor_held_out_moves() -> None:
    dev = _texts(CORPUS / "dev_calls.jsonl")
    training = set().union(*(_texts(p) for p in sorted(CORPUS.glob("train_*.jsonl"))))
    held_out = set().union(*(_texts(p) for p in sorted(CORPUS.glob("heldout*.jsonl"))))
    assert not dev & training
    assert not dev & held_out
    assert not training & held_out

"""Where the project's data lives, for tests wherever they sit in the tree."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = ROOT / "personas"
PROMPTS = ROOT / "prompts"
CORPUS = ROOT / "corpus"

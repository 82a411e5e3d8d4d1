"""Simulation scripts: a file of trainee moves, one per line, or YAML with scenario, style,
language and moves (for `spin-practice simulate`)."""

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_SCENARIO = "plant-operators"


@dataclass(frozen=True, slots=True)
class ScriptSpec:
    moves: list[str]
    scenario: str
    style: str
    language: str


def read_script(path: Path) -> ScriptSpec:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(text)
        if not isinstance(data, dict) or not isinstance(data.get("moves"), list):
            raise ValueError(f"{path}: a YAML script has a `moves` list")
        return ScriptSpec(
            moves=[str(m) for m in data["moves"]],
            scenario=str(data.get("scenario", DEFAULT_SCENARIO)),
            style=str(data.get("style", "analytical")),
            language=str(data.get("language", "en")),
        )
    moves = [line.strip() for line in text.splitlines() if line.strip()]
    return ScriptSpec(moves=moves, scenario=DEFAULT_SCENARIO, style="analytical", language="en")

"""personas/lexicon.yaml → the reading's Lexicon: concepts (id → English and Chinese terms)
and named cue lists, validated so a broken file stops startup with its field named."""

from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.adapters.persona_files.scenarios import CatalogError
from app.domain.reading.lexicon import Concept, Lexicon

Term = Annotated[str, Field(min_length=1, max_length=80)]
CUE_LISTS = ("refer_back", "broad_problem", "small_talk")


class _Terms(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: list[Term] = Field(default_factory=list)
    zh: list[Term] = Field(default_factory=list)


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concepts: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], _Terms]
    cues: dict[Annotated[str, Field(pattern=r"^(refer_back|broad_problem|small_talk)$")], _Terms]


def parse_lexicon(text: str, *, source: str) -> Lexicon:
    try:
        data = yaml.safe_load(text)
        parsed = _LexiconFile.model_validate(data)
    except yaml.YAMLError as exc:
        raise CatalogError(source, [f"not valid YAML: {exc}"]) from exc
    except ValidationError as exc:
        problems = [".".join(map(str, e["loc"])) + ": " + e["msg"] for e in exc.errors()]
        raise CatalogError(source, problems) from exc
    concepts = [Concept(k, tuple(v.en), tuple(v.zh)) for k, v in parsed.concepts.items()]
    cues = {name: [*terms.en, *terms.zh] for name, terms in parsed.cues.items()}
    return Lexicon(concepts, cues)


def load_lexicon(personas_dir: Path) -> Lexicon:
    path = personas_dir / "lexicon.yaml"
    return parse_lexicon(path.read_text(encoding="utf-8"), source="personas/lexicon.yaml")

"""The feedback message catalogue (personas/feedback.yaml: code → {en, zh}), validated."""

from pathlib import Path

import yaml

from app.domain.scenario import Bilingual
from app.domain.scorecard.feedback import messages_from_mapping


class FeedbackCatalogueError(Exception):
    pass


def load_feedback(path: Path) -> dict[str, Bilingual]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise FeedbackCatalogueError(f"{path}: a mapping of code → {{en, zh}} is expected")
    try:
        return messages_from_mapping(data)
    except ValueError as exc:
        raise FeedbackCatalogueError(f"{path}: {exc}") from exc

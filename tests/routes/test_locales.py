"""The pages' words (web/locales): both languages name the same keys, each key once."""

from pathlib import Path

import pytest

from app.domain.language import Language
from app.routes.i18n import Locales
from tests.support.paths import ROOT

LOCALES = ROOT / "web" / "locales"


def test_the_shipped_locales_load_and_agree() -> None:
    locales = Locales(LOCALES)
    assert locales.translate(Language.ZH, "app.name")
    assert set(locales.messages(Language.EN)) == set(locales.messages(Language.ZH))


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    (tmp_path / "en.json").write_text('{"a": "one", "a": "two"}', encoding="utf-8")
    (tmp_path / "zh.json").write_text('{"a": "一"}', encoding="utf-8")
    with pytest.raises(ValueError, match="'a' is given twice"):
        Locales(tmp_path)

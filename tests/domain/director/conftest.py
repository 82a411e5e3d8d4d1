"""Director tests run in both languages."""

import pytest

from app.domain.language import Language

EN, ZH = Language.EN, Language.ZH


@pytest.fixture(params=[EN, ZH], ids=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Language:
    value: Language = request.param
    return value

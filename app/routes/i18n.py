"""Page language: the user's choice, else a cookie, else the browser's Accept-Language.
UI strings live in web/locales/{en,zh}.json; templates call `t("key")`."""

import json
from collections.abc import Mapping
from pathlib import Path

from starlette.requests import HTTPConnection

from app.domain.accounts.users import SignedIn
from app.domain.language import Language

LANG_COOKIE = "spin_lang"


def _unique_keys(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """A key given twice is a merge slip: JSON keeps the last silently, so the page would
    show whichever text happened to come later."""
    found: dict[str, str] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"locale key {key!r} is given twice")
        found[key] = value
    return found


class Locales:
    def __init__(self, locales_dir: Path) -> None:
        self._messages: dict[Language, dict[str, str]] = {
            lang: json.loads(
                (locales_dir / f"{lang.value}.json").read_text(encoding="utf-8"),
                object_pairs_hook=_unique_keys,
            )
            for lang in Language
        }
        missing = set(self._messages[Language.EN]) ^ set(self._messages[Language.ZH])
        if missing:
            raise ValueError(f"locales differ in keys: {sorted(missing)[:10]}")

    def messages(self, language: Language) -> Mapping[str, str]:
        return self._messages[language]

    def translate(self, language: Language, key: str, **params: object) -> str:
        text = self._messages[language].get(key, key)
        return text.format(**params) if params else text

    def errors(self, language: Language) -> dict[str, str]:
        """Every error code's sentence (`error.<code>`), for the pages' scripts."""
        return {
            key.removeprefix("error."): text
            for key, text in self._messages[language].items()
            if key.startswith("error.")
        }

    def error_text(self, language: Language, code: str, context: str = "") -> str:
        """A refusal in the reader's language, from its code: the form's own wording
        (`register.error.conflict`, "that username is taken") before the general one; the
        server's English message is never shown."""
        messages = self._messages[language]
        for key in (f"{context}.error.{code}" if context else "", f"error.{code}"):
            if key in messages:
                return messages[key]
        return messages["error.generic"]


def page_language(conn: HTTPConnection, user: SignedIn | None) -> Language:
    if user is not None and user.user.language in ("en", "zh"):
        return Language(user.user.language)
    cookie = conn.cookies.get(LANG_COOKIE)
    if cookie in ("en", "zh"):
        return Language(cookie)
    accept = conn.headers.get("accept-language", "").lower()
    for part in accept.split(","):
        tag = part.split(";")[0].strip()
        if tag.startswith("zh"):
            return Language.ZH
        if tag.startswith("en"):
            return Language.EN
    return Language.EN

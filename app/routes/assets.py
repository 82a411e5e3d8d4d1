"""Static files with fingerprinted names: `css/app.css` is linked as `css/app.<hash>.css`, the
hash taken from the file's content at startup, so a browser may keep it for a year and a
deploy still reaches it at once. A file asked for by its plain name (a module's relative
`import "./api.js"`) is served too, revalidated on every use."""

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import pass_context
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_CHARS = 12


def fingerprinted(path: str, digest: str) -> str:
    """`js/practice.js` → `js/practice.<digest>.js` (the digest before the last suffix)."""
    pure = PurePosixPath(path)
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def fingerprint_table(directory: Path) -> dict[str, str]:
    """Every file under `directory`: plain relative path → fingerprinted relative path."""
    table: dict[str, str] = {}
    for root, _dirs, files in os.walk(directory):
        for name in files:
            full = Path(root) / name
            relative = full.relative_to(directory).as_posix()
            digest = hashlib.sha256(full.read_bytes()).hexdigest()[:HASH_CHARS]
            table[relative] = fingerprinted(relative, digest)
    return table


class FingerprintedStatic(StaticFiles):
    """Serves `web/static`; a fingerprinted name is cached for good, a plain one revalidated."""

    def __init__(self, *, directory: Path) -> None:
        super().__init__(directory=str(directory))
        self.names = fingerprint_table(directory)
        self._plain = {hashed: plain for plain, hashed in self.names.items()}

    async def get_response(self, path: str, scope: Scope) -> Response:
        plain = self._plain.get(PurePosixPath(path).as_posix())
        response = await super().get_response(plain or path, scope)
        if response.status_code in (200, 304):
            response.headers["cache-control"] = IMMUTABLE if plain else REVALIDATE
        return response


def install_url_for(templates_env: Any, names: Mapping[str, str]) -> None:
    """Templates keep writing `url_for('static', path=...)`; the link they get carries the
    fingerprint. Any other route name resolves as Starlette's own `url_for` does."""

    @pass_context
    def url_for(context: dict[str, Any], name: str, /, **params: Any) -> URL:
        request: Request = context["request"]
        if name == "static" and "path" in params:
            params = {**params, "path": names.get(params["path"], params["path"])}
        return request.url_for(name, **params)

    templates_env.globals["url_for"] = url_for

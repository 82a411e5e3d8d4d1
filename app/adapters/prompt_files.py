"""PromptLibrary over prompts/: Jinja2 text templates, StrictUndefined (a missing variable is
an error), no autoescape, in an environment separate from the HTML pages'."""

import hashlib
from collections.abc import Mapping
from pathlib import Path

import jinja2


class FilePromptLibrary:
    def __init__(self, prompts_dir: Path) -> None:
        self._dir = prompts_dir
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _file(self, name: str) -> str:
        return f"{name}.j2"

    def render(self, name: str, variables: Mapping[str, object]) -> str:
        return self._env.get_template(self._file(name)).render(**variables).strip()

    def fingerprint(self, name: str) -> str:
        """A short hash of the template, stored with what it produced."""
        text = (self._dir / self._file(name)).read_bytes()
        return hashlib.sha256(text).hexdigest()[:10]

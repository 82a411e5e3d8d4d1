"""The Dockerfile starts a command the package really provides, as a non-root user, with the
data directory in a volume; the README shows the two set-up commands."""

import re
import subprocess
import sys

from tests.support.paths import ROOT


def test_docker_entry_command_exists_in_the_package() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    match = re.search(r'^CMD \["([^"]+)", "([^"]+)"', dockerfile, re.MULTILINE)
    assert match, "the Dockerfile has an exec-form CMD"
    script, command = match.groups()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'{script} = "app.cli:main"' in pyproject
    help_text = subprocess.run(
        [sys.executable, "-m", "app.cli", command, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )
    assert help_text.returncode == 0, help_text.stderr
    assert "--host" in help_text.stdout


def test_docker_image_runs_as_non_root_with_a_data_volume() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE)
    assert 'VOLUME ["/data"]' in dockerfile
    assert "SPIN_DATA_DIR=/data" in dockerfile
    for folder in ("prompts", "personas", "web"):
        assert f"COPY {folder} ./{folder}" in dockerfile


def test_readme_shows_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme

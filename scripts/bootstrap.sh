#!/usr/bin/env bash
# Idempotent set-up. `run`: the app's virtualenv. `test`: also dev tools and the Debian
# packages the tests need (Chromium and a Chinese font for browser tests, PostgreSQL for
# store tests).
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-test}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

if [ "$MODE" = test ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  # a Chinese font, so browser screenshots of Chinese pages show characters, not boxes
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing Debian packages: ${need[*]}" >&2
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

# uv never downloads a Python: the machine's python3 (>= 3.11) is the interpreter.
export UV_PYTHON_DOWNLOADS=never UV_PYTHON="${UV_PYTHON:-python3}" UV_LINK_MODE=copy
if [ ! -x .tools/bin/uv ]; then
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    --target .tools "uv==0.13.9" 2>&1 | grep -v "is ignored" >&2 || true
fi

# Re-sync only when the lock or the project file changed since the last sync.
stamp=".venv/.synced-$MODE"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ uv.lock -nt "$stamp" ]; then
  if [ "$MODE" = test ]; then
    .tools/bin/uv sync --frozen --quiet --all-extras
    rm -f .venv/.synced-*
  else
    # --inexact: `make run` after `make test` keeps the dev tools instead of removing them
    .tools/bin/uv sync --frozen --quiet --extra postgres --inexact
  fi
  touch "$stamp"
fi

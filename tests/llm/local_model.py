"""The local model the real-model tests and the voice benchmark run against: llama-cpp-python's
OpenAI-compatible server with SmolLM2-135M-Instruct, from .venv-llm (scripts/llm_env.sh), on
a free loopback port. Started with a readiness deadline (polling /v1/models), stopped after."""

import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

from tests.fake_llm.server import free_port
from tests.support.paths import ROOT

READY_FILE = ROOT / ".venv-llm" / ".ready"
PYTHON = ROOT / ".venv-llm" / "bin" / "python"
MODEL_ALIAS = "smollm2"
READY_TIMEOUT_S = 180.0  # loading a 100 MB model on a busy 2-core machine


def model_file() -> Path:
    """The GGUF that scripts/llm_env.sh installed; a clear failure when it did not run."""
    if not READY_FILE.exists():
        raise RuntimeError("no local model: run `make test-llm` (scripts/llm_env.sh) first")
    lines = READY_FILE.read_text().splitlines()
    return Path(lines[1])


class LocalModel:
    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "LocalModel":
        command = [str(PYTHON), "-m", "llama_cpp.server", "--model", str(model_file())]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "4096"]
        command += ["--model_alias", MODEL_ALIAS, "--n_threads", "2", "--seed", "7"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the model server exited:\n{self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/models", timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)  # polling readiness with a deadline
        self.stop()
        raise RuntimeError(f"the model server was not ready in {READY_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

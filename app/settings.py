"""Settings: the only code that reads environment variables (prefix `SPIN_`, DESIGN.md §9)."""

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SPIN_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("SPIN_DATABASE_URL", "DATABASE_URL")
    )
    secret_key: SecretStr | None = None
    public_origin: str | None = None  # e.g. https://spin.example.com behind a proxy
    # Where `spin-practice serve` listens; links printed on the console use them when no
    # public origin is set.
    host: str = "127.0.0.1"
    port: int = 8000

    personas_dir: Path = PROJECT_ROOT / "personas"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    web_dir: Path = PROJECT_ROOT / "web"

    voice: Literal["scripted", "llm"] = "scripted"
    judge: Literal["offline", "llm"] = "offline"
    reader: Literal["offline", "llm"] = "offline"  # which items a move is about (issue 11)
    llm_base_url: str | None = None
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 2

    max_text_chars: int = 2000
    max_frame_bytes: int = 64 * 1024  # a bigger frame gets `frame_too_large`, socket open
    # Bigger still, the protocol layer refuses it while it arrives (close 1009): never buffered.
    ws_max_message_bytes: int = 128 * 1024
    max_body_bytes: int = 1024 * 1024
    messages_per_10s: int = 10
    # The chat page pings its socket this often and calls it lost when no answer comes in time
    # (a socket can die without closing: a sleeping laptop, a dropped mobile network).
    chat_ping_s: float = Field(default=15.0, gt=0)
    chat_pong_timeout_s: float = Field(default=8.0, gt=0)
    session_days: int = 14
    login_attempts_per_15min: int = 10
    registrations_per_15min: int = 20  # failed or in flight, per address (a class shares one)
    # Nothing one user sends may stall, corrupt or expose another (issue 14): heavy work runs
    # in worker processes with a time budget; expensive requests are rate-limited per user.
    worker_processes: int = 1
    worker_timeout_s: float = 20.0
    worker_queue: int = 8  # jobs that may wait for a worker; more are refused (503)
    worker_memory_mb: int = 1024
    classify_per_minute: int = 10
    analyses_per_minute: int = 6
    scenario_saves_per_minute: int = 12
    max_active_calls: int = 20  # per user, among calls started in the last 24 hours
    max_sockets_per_user: int = 6  # per server process

    log_level: str = "INFO"
    # auto: human-readable lines on a terminal, JSON lines otherwise (a service, a container)
    log_format: Literal["auto", "text", "json"] = "auto"

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under the data directory. A bare
        `postgresql://` URL is given the psycopg 3 driver."""
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'spin.db'}"
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite"):
            url = "sqlite+aiosqlite://" + url.split("://", 1)[1]
        return url

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated on first run and kept in the data directory
        with 0600 permissions, so sessions survive a restart and no default key exists."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process won the race: use its key
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key

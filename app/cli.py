"""The spin-practice console script: thin commands over the services (DESIGN.md §6).
stdout carries only each command's output; logs and progress go to stderr."""

import asyncio
import getpass
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.domain.accounts.access import UserRole
from app.domain.classifier.evaluation import evaluate, format_report, parse_examples
from app.domain.classifier.model import load_bundled_classifier
from app.domain.codec import to_plain
from app.domain.errors import PracticeError
from app.domain.labels import NO_CONTEXT
from app.domain.language import Language
from app.services.judge import classify as classify_move

if TYPE_CHECKING:  # imported lazily at run time: every command should start fast
    from app.main import OfflineParts
    from app.services.simulation import Simulated

cli = typer.Typer(
    name="spin-practice",
    help="SPIN Practice: a practice partner for consultative selling.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
users_cli = typer.Typer(help="User accounts.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(users_cli, name="users")


def fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (use PostgreSQL for >1).")] = 1,
) -> None:
    """Serve the web app and API."""
    import os

    import uvicorn

    from app.settings import Settings

    # The app is built by a factory in each worker: it learns the address from Settings.
    os.environ["SPIN_HOST"], os.environ["SPIN_PORT"] = host, str(port)

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        ws="websockets-sansio",
        # A frame over the limit is refused by the protocol layer while it arrives (close
        # 1009), never buffered whole first (issue 14).
        ws_max_size=Settings().ws_max_message_bytes,
        proxy_headers=True,
        log_config=None,
    )


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the database to the latest migration."""
    from app.adapters.migrate import upgrade
    from app.settings import Settings

    settings = Settings()
    upgrade(settings.resolved_database_url())
    typer.echo("database is at the latest revision", err=True)


@users_cli.command("create")
def users_create(
    username: str,
    role: Annotated[str, typer.Option(help="trainee, trainer or admin.")] = "trainee",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a user (the password is prompted for, or read from stdin)."""
    if role not in {r.value for r in UserRole}:
        typer.echo("error: --role is trainee, trainer or admin", err=True)
        raise typer.Exit(code=2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            raise fail("the passwords differ")

    from app.main import build_accounts_for_cli
    from app.settings import Settings

    async def create() -> str:
        async with build_accounts_for_cli(Settings()) as accounts:
            user = await accounts.create_user(
                username=username, password=password, role=UserRole(role)
            )
            return f"created {user.role.value} {user.username} ({user.id})"

    try:
        typer.echo(asyncio.run(create()))
    except PracticeError as error:
        raise fail(error.message) from error


def _read_moves(stream: Any) -> list[tuple[str, dict[str, object]]]:
    """Plain text lines, or JSONL objects with a `text` field; blank lines are skipped."""
    moves: list[tuple[str, dict[str, object]]] = []
    for number, line in enumerate(stream, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("{"):
            try:
                data = json.loads(stripped)
            except ValueError as exc:
                raise fail(f"line {number}: invalid JSON") from exc
            if not isinstance(data, dict) or not isinstance(data.get("text"), str):
                raise fail(f"line {number}: a JSON line needs a text field")
            moves.append((data["text"], data))
        else:
            moves.append((stripped, {}))
    return moves


@cli.command()
def classify(
    lang: Annotated[str, typer.Option(help="en, zh or auto.")] = "auto",
) -> None:
    """Label moves read from stdin (one per line, text or JSONL); JSON lines on stdout."""
    if lang not in ("en", "zh", "auto"):
        typer.echo("error: --lang is en, zh or auto", err=True)
        raise typer.Exit(code=2)
    classifier = load_bundled_classifier()
    language = None if lang == "auto" else Language(lang)
    out = sys.stdout
    for text, _ in _read_moves(sys.stdin):
        try:
            label = classify_move(classifier, text, context=NO_CONTEXT, language=language)
            out.write(json.dumps(to_plain(label), ensure_ascii=False) + "\n")
        except PracticeError as error:
            out.write(json.dumps({"error": error.code, "message": error.message}) + "\n")
    out.flush()


@cli.command("eval")
def eval_command(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="JSONL with text, label.")
    ],
) -> None:
    """Evaluate the offline classifier on a labelled JSONL file."""
    try:
        with file.open(encoding="utf-8") as handle:
            examples = parse_examples(handle)
    except ValueError as error:
        raise fail(str(error)) from error
    if not examples:
        raise fail(f"{file} has no examples")
    report = evaluate(examples, load_bundled_classifier().classify, clock=time.perf_counter)
    typer.echo(format_report(report))


@cli.command()
def simulate(
    script: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Moves file.")],
    scenario: Annotated[str | None, typer.Option(help="Scenario id.")] = None,
    style: Annotated[str | None, typer.Option(help="Buyer style.")] = None,
    lang: Annotated[str | None, typer.Option(help="en or zh.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for the buyer's wording.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Play a scripted trainee conversation offline; print transcript and scorecard."""
    from app.main import load_offline_parts
    from app.services.simulation import simulate as run_simulation
    from app.services.voice.scripted import ScriptedVoice
    from app.settings import Settings

    parts = load_offline_parts(Settings())
    spec = parts.read_script(script)
    scenario_id = scenario or spec.scenario
    if scenario_id not in parts.catalog.scenarios:
        raise fail(f"unknown scenario {scenario_id!r}")
    try:
        result = asyncio.run(
            run_simulation(
                spec.moves,
                scenario=parts.catalog.scenarios[scenario_id],
                style=parts.style(style or spec.style),
                language=Language(lang or spec.language),
                styles=parts.catalog.styles,
                classifier=parts.classifier,
                voice=ScriptedVoice(parts.catalog.styles),
                scoring=parts.scoring,
                seed=seed,
            )
        )
    except ValueError as error:
        raise fail(str(error)) from error
    if as_json:
        typer.echo(json.dumps(_simulation_json(result, parts), ensure_ascii=False, indent=2))
    else:
        _print_simulation(result, parts)


def _simulation_json(result: "Simulated", parts: "OfflineParts") -> dict[str, object]:
    return {
        "turns": [
            {
                "seq": t.seq,
                "role": t.role.value,
                "text": t.text,
                "label": to_plain(t.label) if t.label else None,
            }
            for t in result.turns
        ],
        "state": to_plain(result.state),
        "scorecard": to_plain(result.scorecard),
        "feedback": to_plain(parts.scoring.explain(result.scorecard)),
    }


def _print_simulation(result: "Simulated", parts: "OfflineParts") -> None:
    for turn in result.turns:
        tag = f"[{turn.label.label.value}]" if turn.label else ""
        who = "TRAINEE" if turn.role.value == "trainee" else "BUYER  "
        typer.echo(f"{turn.seq:>3} {who} {tag} {turn.text}")
    state = result.state
    typer.echo("")
    typer.echo(
        f"problems {sorted(state.problems)} implications {sorted(state.implications)} "
        f"needs {sorted(state.needs)} patience {state.patience} trust {state.trust} "
        f"outcome {state.outcome.value}"
    )
    typer.echo(f"overall {result.scorecard.overall}/100")
    for part in result.scorecard.components:
        applicable = "" if part.applicable else " (not applicable)"
        points = f"{part.points:>5.1f} / {part.max_points:.0f}"
        typer.echo(f"  {part.component.value:<10} {points}{applicable}")
    for line in parts.scoring.explain(result.scorecard):
        typer.echo("  - " + line.text)


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()

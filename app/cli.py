"""The spin-practice console script: thin commands over the services (DESIGN.md §6).
stdout carries only each command's output; logs and progress go to stderr."""

import asyncio
import getpass
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID

import typer

from app.domain.accounts.access import Actor, UserRole
from app.domain.classifier.evaluation import (
    context_of,
    evaluate,
    format_report,
    parse_examples,
)
from app.domain.classifier.model import load_bundled_classifier
from app.domain.codec import to_plain
from app.domain.errors import PracticeError
from app.domain.labels import NO_CONTEXT
from app.domain.language import Language
from app.domain.style import StyleName
from app.services.judge import classify as classify_move

if TYPE_CHECKING:  # imported lazily at run time: every command should start fast
    from collections.abc import Awaitable, Callable

    from app.domain.accounts.users import Cohort
    from app.main import ConsoleParts, OfflineParts
    from app.services.simulation import Simulated

cli = typer.Typer(
    name="spin-practice",
    help="SPIN Practice: a practice partner for consultative selling.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
users_cli = typer.Typer(help="User accounts.", no_args_is_help=True)
cohorts_cli = typer.Typer(help="Cohorts of trainees.", no_args_is_help=True)
invites_cli = typer.Typer(
    help="Invite codes that let trainees join a cohort.", no_args_is_help=True
)
cli.add_typer(db_cli, name="db")
cli.add_typer(users_cli, name="users")
cli.add_typer(cohorts_cli, name="cohorts")
cli.add_typer(invites_cli, name="invites")


# What the console may see and do: everything (it runs on the server, as its owner).
CONSOLE = Actor(id=UUID(int=0), role=UserRole.ADMIN)


class UsageFailedError(PracticeError):
    code = "usage"


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


def _console(work: "Callable[[ConsoleParts], Awaitable[str]]") -> None:
    """Runs one account command against the configured database and prints its result;
    a refusal is an error message and exit code 1."""
    from app.main import build_console_parts
    from app.settings import Settings

    async def run() -> str:
        async with build_console_parts(Settings()) as parts:
            return await work(parts)

    try:
        typer.echo(asyncio.run(run()))
    except PracticeError as error:
        raise fail(error.message) from error


async def _operator(parts: "ConsoleParts", username: str) -> "Actor":
    """The console acts with an admin's rights on behalf of a trainer (or admin) account,
    so what it creates has a real owner."""
    found = [u for u in await parts.accounts.users(CONSOLE) if u.username == username]
    if not found or found[0].role is UserRole.TRAINEE:
        raise UsageFailedError(f"no trainer or admin named {username!r}")
    return Actor(id=found[0].id, role=UserRole.ADMIN)


async def _find_cohort(parts: "ConsoleParts", wanted: str) -> "Cohort":
    cohorts = await parts.cohorts.visible(CONSOLE)
    matches = [c for c in cohorts if wanted in (str(c.id), c.name)]
    if len(matches) != 1:
        raise UsageFailedError(f"{len(matches)} cohorts match {wanted!r}: give its id")
    return matches[0]


@cohorts_cli.command("create")
def cohorts_create(
    name: str,
    trainer: Annotated[str, typer.Option(help="Username of the trainer who runs it.")],
) -> None:
    """Create a cohort run by TRAINER."""

    async def create(parts: "ConsoleParts") -> str:
        actor = await _operator(parts, trainer)
        cohort = await parts.cohorts.create(actor, name=name, trainer_id=actor.id)
        return f"created cohort {cohort.name} ({cohort.id})"

    _console(create)


@cohorts_cli.command("list")
def cohorts_list() -> None:
    """List every cohort: id, name, trainer, members (tab-separated)."""

    async def listing(parts: "ConsoleParts") -> str:
        rows = await parts.cohorts.summaries(CONSOLE)
        lines = [f"{s.cohort.id}\t{s.cohort.name}\t{s.trainer_name}\t{s.members}" for s in rows]
        return "\n".join(["id\tname\ttrainer\tmembers", *lines])

    _console(listing)


@invites_cli.command("create")
def invites_create(
    cohort: Annotated[str, typer.Argument(help="The cohort's id or its exact name.")],
    uses: Annotated[int, typer.Option(help="How many people may join with it.")] = 50,
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 30,
) -> None:
    """Create an invite code for COHORT and print its registration link."""

    async def create(parts: "ConsoleParts") -> str:
        found = await _find_cohort(parts, cohort)
        actor = Actor(id=found.trainer_id, role=UserRole.ADMIN)
        invite = await parts.cohorts.create_invite(
            actor, cohort_id=found.id, max_uses=uses, days=days
        )
        expires = invite.expires_at.date().isoformat() if invite.expires_at else "never"
        return (
            f"{parts.origin}/register?code={invite.code}\n"
            f"code {invite.code} for cohort {found.name}: {uses} uses, expires {expires}"
        )

    _console(create)


DEMO_WARNING = (
    "FOR TRIALS ONLY: these accounts have passwords printed on this screen. Do not run "
    "`spin-practice demo` on an installation real people use; deactivate the accounts "
    "(Users page) before going live."
)


@cli.command()
def demo() -> None:
    """Seed a trainer, a cohort, an invite and a trainee to try the product (trials only)."""
    import secrets

    typer.echo(f"warning: {DEMO_WARNING}", err=True)
    trainer_password = "demo-" + secrets.token_urlsafe(9)
    trainee_password = "demo-" + secrets.token_urlsafe(9)

    async def seed(parts: "ConsoleParts") -> str:
        trainer = await parts.accounts.create_user(
            username="demo-trainer", password=trainer_password, role=UserRole.TRAINER
        )
        actor = Actor(id=trainer.id, role=UserRole.TRAINER)
        cohort = await parts.cohorts.create(actor, name="Demo cohort")
        actor = Actor(id=trainer.id, role=UserRole.TRAINER, cohorts=frozenset({cohort.id}))
        invite = await parts.cohorts.create_invite(actor, cohort_id=cohort.id, max_uses=20)
        await parts.accounts.register(
            code=invite.code, username="demo-trainee", password=trainee_password
        )
        return "\n".join(
            [
                f"open {parts.origin}/login",
                f"trainer  demo-trainer / {trainer_password}",
                f"trainee  demo-trainee / {trainee_password}",
                f"cohort   {cohort.name}",
                f"invite   {parts.origin}/register?code={invite.code}",
                DEMO_WARNING,
            ]
        )

    _console(seed)


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
    """Label moves read from stdin (one per line, text or JSONL); JSON lines on stdout. A JSONL
    move may carry `context`, the buyer's turn before it."""
    if lang not in ("en", "zh", "auto"):
        typer.echo("error: --lang is en, zh or auto", err=True)
        raise typer.Exit(code=2)
    classifier = load_bundled_classifier()
    language = None if lang == "auto" else Language(lang)
    out = sys.stdout
    for text, record in _read_moves(sys.stdin):
        buyer_said = record.get("context")
        context = context_of(buyer_said) if isinstance(buyer_said, str) else NO_CONTEXT
        try:
            label = classify_move(classifier, text, context=context, language=language)
            out.write(json.dumps(to_plain(label), ensure_ascii=False) + "\n")
        except PracticeError as error:
            out.write(json.dumps({"error": error.code, "message": error.message}) + "\n")
    out.flush()


@cli.command("eval")
def eval_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="JSONL with text, label (optional lang, move, context, source).",
        ),
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


@cli.command("check-scenario")
def check_scenario_command(
    files: Annotated[
        list[Path], typer.Argument(exists=True, dir_okay=False, help="Scenario YAML files.")
    ],
) -> None:
    """Validate scenario files and warn about items the buyer would find hard to recognise."""
    from app.adapters.persona_files.catalog import load_catalog
    from app.adapters.persona_files.scenarios import CatalogError, parse_scenario_yaml
    from app.services.authoring import check_scenario
    from app.settings import Settings

    lexicon = load_catalog(Settings().personas_dir).lexicon
    failed = False
    for path in files:
        try:
            scenario = parse_scenario_yaml(path.read_text(encoding="utf-8"), source=path.name)
        except CatalogError as error:
            typer.echo(f"error: {error}", err=True)
            failed = True
            continue
        warnings = check_scenario(scenario, lexicon)
        for warning in warnings:
            typer.echo(f"{path.name}: warning: {warning.message()}")
        typer.echo(f"{path.name}: ok, {len(warnings)} warning(s)")
    if failed:
        raise typer.Exit(code=1)


@cli.command("eval-understanding")
def eval_understanding(
    files: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, help="JSONL probes (corpus/understanding)."),
    ],
    style: Annotated[
        list[str] | None, typer.Option(help="Buyer style(s) to run; default all four.")
    ] = None,
) -> None:
    """How often natural questions unlock their scenario item, per level and language."""
    from app.domain.call.understanding import (
        evaluate_understanding,
        format_understanding,
        parse_probes,
    )
    from app.main import load_offline_parts
    from app.settings import Settings

    parts = load_offline_parts(Settings())
    try:
        probes = [
            p for f in files for p in parse_probes(f.read_text(encoding="utf-8").splitlines())
        ]
        styles = [parts.style(s) for s in style] if style else list(StyleName)
    except ValueError as error:
        raise fail(str(error)) from error
    unknown = sorted({p.scenario for p in probes} - set(parts.catalog.scenarios))
    if unknown:
        raise fail(f"unknown scenario(s): {', '.join(unknown)}")
    report = evaluate_understanding(probes, parts.catalog.scenarios, parts.rehearsal, styles=styles)
    typer.echo(format_understanding(report))


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
    from app.settings import Settings

    parts = load_offline_parts(Settings())
    spec = parts.read_script(script)
    scenario_id = scenario or spec.scenario
    if scenario_id not in parts.catalog.scenarios:
        raise fail(f"unknown scenario {scenario_id!r}")
    try:
        result = run_simulation(
            spec.moves,
            scenario=parts.catalog.scenarios[scenario_id],
            style=parts.style(style or spec.style),
            language=Language(lang or spec.language),
            cast=parts.catalog.cast,
            classifier=parts.classifier,
            scoring=parts.scoring,
            seed=seed,
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

"""The `quizbot` command line: run, play, migrate, questions …"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from bot.adapters.bank_rules import question_problems
from bot.adapters.question_files import SCHEMA_NAME, Problem, json_schema, load_bank
from bot.config import Settings
from bot.domain.channel import Channel
from bot.domain.errors import QuizError
from bot.domain.model import Workspace
from bot.roles import Role

if TYPE_CHECKING:
    from redis.asyncio import Redis

T = TypeVar("T")

app = typer.Typer(help="A team quiz bot for the AWS Developer – Associate exam.",
                  no_args_is_help=True, add_completion=False)
questions_app = typer.Typer(help="Check, sync and inspect the question bank.",
                            no_args_is_help=True)
app.add_typer(questions_app, name="questions")


def _bank(path: Path | None) -> Path:
    """The bank a command works on: its argument, else QUESTIONS_PATH, else the shipped one."""
    from bot.shipped import question_bank

    return path or question_bank(Settings().questions_path)


BANK_HELP = "The question bank folder (default: QUESTIONS_PATH, else the shipped bank)."


@questions_app.command("validate")
def questions_validate(path: Path | None = typer.Argument(None, help=BANK_HELP)) -> None:
    """Check every question file and question rule; list each problem with file, id and field."""
    bank, problems = load_bank(_bank(path))
    problems += question_problems(bank)
    if problems:
        raise_problems(problems)
    typer.echo(f"OK: {len(bank.questions)} questions in {len(bank.topics)} topics.")


@questions_app.command("schema")
def questions_schema(path: Path | None = typer.Argument(
        None, help=f"Where to write (default: {SCHEMA_NAME} in the bank).")) -> None:
    """Write the JSON Schema that editors use to check question files while typing."""
    path = path or _bank(None) / SCHEMA_NAME
    path.write_text(json.dumps(json_schema(), indent=2) + "\n", encoding="utf-8")
    typer.echo(f"Wrote {path}.")


@questions_app.command("stats")
def questions_stats(
    path: Path | None = typer.Argument(None, help=BANK_HELP),
    played: bool = typer.Option(False, "--played", help="Answer rates per question from the "
                                "database (DATABASE_URL) instead of the files."),
) -> None:
    """Coverage of the bank and its rules; with --played, how each question fares in play."""
    if played:
        _played_stats()
        return
    from rich.console import Console

    from bot.adapters.bank_rules import check
    from bot.platforms.bank_report import coverage_table, rules_table

    bank, problems = load_bank(_bank(path))
    if problems:
        raise_problems(problems)
    console = Console(highlight=False)
    console.print(coverage_table(bank.questions))
    rules = check(bank)
    console.print(rules_table(rules))
    console.print(f"{sum(r.met for r in rules)} of {len(rules)} rules met.")


def _played_stats() -> None:
    from rich.console import Console

    from bot.adapters.sql_play import read_played
    from bot.platforms.bank_report import played_summary, played_table

    played = _run(read_played(Settings().database_url))
    console = Console(highlight=False)
    console.print(played_table(played))
    console.print(played_summary(played))


@questions_app.command("reports")
def questions_reports() -> None:
    """List the questions members reported a problem with, the most reported first."""
    from bot.bootstrap import bootstrap
    from bot.platforms.bank_report import reports_lines
    from bot.services.reports import open_reports

    async def go() -> list[str]:
        async with bootstrap(Settings()) as runtime:
            return reports_lines(await open_reports(runtime.deps))

    for line in _run(go()):
        typer.echo(line)


@questions_app.command("clear")
def questions_clear(question_id: str = typer.Argument(..., help="The question's id.")) -> None:
    """Clear a question's reports, so it is asked again where reports held it back."""
    from bot.bootstrap import bootstrap
    from bot.services.reports import clear_reports

    async def go() -> int:
        async with bootstrap(Settings()) as runtime:
            return await clear_reports(runtime.deps, question_id)

    cleared = _run(go())
    typer.echo(f"Cleared {cleared} report(s) of {question_id}; it is asked again everywhere.")


import_app = typer.Typer(help="Bring questions in from elsewhere.", no_args_is_help=True)
questions_app.add_typer(import_app, name="import")


@import_app.command("opentdb")
def import_opentdb(
    file: Path = typer.Argument(..., help="Open Trivia DB JSON (an api.php response)."),
    topic: str = typer.Option(..., help="Topic slug of the new file, e.g. trivia."),
    title: str | None = typer.Option(None, help="Topic title shown in chat."),
    out: Path | None = typer.Option(None, help="Where to write (default TOPIC.yaml in the bank: "
                                    "QUESTIONS_PATH, else ./questions)."),
) -> None:
    """Convert Open Trivia DB JSON into a valid question file (HTML entities decoded)."""
    from bot.adapters.opentdb import convert, write

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", topic):
        raise typer.BadParameter("use lower-case letters, digits and dashes, like general-trivia",
                                 param_hint="--topic")
    try:
        converted = convert(file.read_text(encoding="utf-8"), topic, title)
    except OSError as error:
        typer.echo(f"Cannot read {file}: {error.strerror}.", err=True)
        raise typer.Exit(1) from None
    except QuizError as error:
        typer.echo(f"{file}: {error}", err=True)
        raise typer.Exit(1) from None
    # Never into the installed package: a new file goes to the operator's own bank.
    target = out or Path(Settings().questions_path or "questions") / f"{topic}.yaml"
    write(converted, target)
    typer.echo(f"Wrote {len(converted.questions)} questions to {target}.")


def raise_problems(problems: list[Problem]) -> None:
    """Print question-file problems and exit 1."""
    for problem in problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"{len(problems)} problem(s) found.", err=True)
    raise typer.Exit(1)


@app.command()
def run(role: Role = typer.Option(Role.ALL, help="web: Slack's HTTP endpoints; worker: the "
                                  "scheduling pass, posting and Discord; all: both.")) -> None:
    """Serve Slack and/or Discord, whichever has credentials set, with the scheduler."""
    from bot.logs import configure
    from bot.runner import serve

    settings = Settings()
    configure(settings.log_level, settings.secrets())
    _run(serve(settings, role=role))


@app.command()
def play(
    user: str = typer.Option("you", help="Your name in the chat."),
    channel: str = typer.Option("general", help="The channel to start in."),
    now: str | None = typer.Option(None, help="Start the clock here, e.g. 2027-03-26T08:59Z."),
    db: Path | None = typer.Option(None, help="Keep the game (and its clock) in this SQLite "
                                              "file; without it every game starts fresh."),
) -> None:
    """Play in the terminal: the whole quiz, no Slack or Discord needed."""
    from bot.bootstrap import bootstrap, prepare_database
    from bot.platforms.terminal_app import play as run_play

    _hear_ctrl_c()
    try:
        _run(run_play(Settings(), user, channel, _instant(now) if now else None, db,
                      open_game=bootstrap, prepare=prepare_database))
    except KeyboardInterrupt:
        typer.echo("\nBye.")
        raise typer.Exit(130) from None


def _hear_ctrl_c() -> None:
    """Ctrl-C quits the game even when whatever started it ignored or blocked SIGINT (both
    are inherited: a background job of a shell, or a test runner's child)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@app.command()
def migrate() -> None:
    """Upgrade the database (DATABASE_URL) to the newest schema, and say what changed."""
    from bot.adapters.database import current_revision, make_engine
    from bot.adapters.database import migrate as upgrade

    settings = Settings()
    key = settings.token_encryption_key

    async def go() -> tuple[str | None, str | None]:
        engine = make_engine(settings.database_url)
        try:
            before = await current_revision(engine)
            await upgrade(engine, token_key=key.get_secret_value() if key else None)
            return before, await current_revision(engine)
        finally:
            await engine.dispose()

    before, after = _run(go())
    if before is None:
        typer.echo(f"Created the database schema (revision {after}).")
    elif before != after:
        typer.echo(f"Upgraded the database from revision {before} to {after}.")
    else:
        typer.echo(f"The database was already up to date (revision {after}).")


@questions_app.command("sync")
def questions_sync(path: Path | None = typer.Argument(None, help=BANK_HELP)) -> None:
    """Load the question files into the database: upsert by id, retire ids that are gone."""
    from bot.adapters.database import migrate as upgrade
    from bot.bootstrap import bootstrap, sync_questions

    async def go() -> str:
        async with bootstrap(Settings()) as runtime:
            await upgrade(runtime.engine)
            return str(await sync_questions(runtime, _bank(path)))

    typer.echo(f"Synced: {_run(go())}")


discord_app = typer.Typer(help="Discord: register the /quiz slash commands.",
                          no_args_is_help=True)
app.add_typer(discord_app, name="discord")


@discord_app.command("sync")
def discord_sync() -> None:
    """Register /quiz with Discord now (in DISCORD_DEV_GUILD if set, else globally)."""
    typer.echo(_run(_discord_sync_now(Settings())))


async def _discord_sync_now(settings: Settings) -> str:
    """Register the /quiz commands now, changed or not."""
    from bot.bootstrap import bootstrap
    from bot.platforms.discord_bot.platform import DiscordPlatform

    async with bootstrap(settings) as runtime:
        platform = DiscordPlatform(runtime)
        client = await platform.open(sync="force")
        try:
            guild = client.dev_guild
            return (f"Registered /quiz in guild {guild.id}." if guild
                    else "Registered /quiz globally (new commands can take a while to appear "
                         "in every server).")
        finally:
            await platform.stop()


leaderboard_app = typer.Typer(help="Leaderboard upkeep.", no_args_is_help=True)
app.add_typer(leaderboard_app, name="leaderboard")
schedule_app = typer.Typer(help="See when channels post.", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")


@leaderboard_app.command("rebuild")
def leaderboard_rebuild() -> None:
    """Rebuild every workspace's Redis leaderboards from SQL (needs REDIS_URL)."""
    from bot.adapters.redis_leaderboard import RedisLeaderboard
    from bot.bootstrap import bootstrap

    async def go() -> int:
        async with bootstrap(Settings()) as runtime:
            board = runtime.deps.leaderboard
            if not isinstance(board, RedisLeaderboard):
                raise QuizError("REDIS_URL is not set: the leaderboards are read from SQL, "
                                "so there is nothing to rebuild.")
            await _reachable_redis(runtime.redis)
            workspaces = await board.sql.workspace_ids()
            for workspace_id in workspaces:
                await board.rebuild(workspace_id)
            return len(workspaces)

    typer.echo(f"Rebuilt the leaderboards of {_run(go())} workspace(s) from SQL.")


@app.command()
def channels() -> None:
    """List every channel: workspace, channel (name and id), schedule, status."""
    from rich.console import Console
    from sqlalchemy.exc import DBAPIError

    from bot.adapters.database import make_engine, make_sessions
    from bot.adapters.sql_tenants import channel_directory
    from bot.platforms.channel_report import channels_table

    async def go() -> list[tuple[Workspace, Channel]]:
        engine = make_engine(Settings().database_url)
        try:
            async with make_sessions(engine)() as session:
                return await channel_directory(session)
        except DBAPIError as error:
            raise QuizError(f"Cannot read the channels ({error.orig}). Is DATABASE_URL right, "
                            "and has `quizbot migrate` run?") from None
        finally:
            await engine.dispose()

    listed = _run(go())
    if not listed:
        typer.echo("No channels yet: type `/quiz` in a channel where the bot is.")
        return
    Console(highlight=False).print(channels_table(listed))


async def _reachable_redis(redis: Redis | None) -> None:
    """Fail with one line when Redis does not answer: a rebuild must not claim success."""
    from redis.exceptions import RedisError

    try:
        if redis is not None:
            await redis.ping()
    except (RedisError, OSError) as error:
        raise QuizError(f"Redis (REDIS_URL) is not reachable ({error}); nothing was rebuilt. "
                        "Start Redis or fix REDIS_URL, then run this again.") from None


@schedule_app.command("preview")
def schedule_preview(channel: str = typer.Argument(..., help="Channel id or name."),
                     count: int = typer.Option(5, min=1, max=100,
                                               help="How many daily posts to list.")) -> None:
    """List a channel's next daily posts, reveals and weekly board, in its local time."""
    from bot.bootstrap import bootstrap
    from bot.services.planning import preview

    async def go() -> list[str]:
        async with bootstrap(Settings()) as runtime:
            return await preview(runtime.deps, channel, count)

    for line in _run(go()):
        typer.echo(line)


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a time like 2027-03-26T08:59Z.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _run(work: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine; a QuizError becomes a one-line message and exit code 1."""
    try:
        return asyncio.run(work)
    except QuizError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


tokens_app = typer.Typer(help="Slack tokens encrypted at rest (TOKEN_ENCRYPTION_KEY).",
                         no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("new-key")
def tokens_new_key() -> None:
    """Print a new key for TOKEN_ENCRYPTION_KEY."""
    from bot.adapters.token_cipher import new_key

    typer.echo(new_key())


@tokens_app.command("rotate")
def tokens_rotate() -> None:
    """Encrypt every stored Slack token with the first key of TOKEN_ENCRYPTION_KEY."""
    from bot.adapters.database import make_engine
    from bot.adapters.sql_tokens import rotate_tokens
    from bot.platforms.slack_app.app import cipher_for

    settings = Settings()
    cipher = cipher_for(settings)
    if not cipher.enabled:
        raise typer.BadParameter("set TOKEN_ENCRYPTION_KEY first (`quizbot tokens new-key` "
                                 "makes one)")

    async def go() -> int:
        engine = make_engine(settings.database_url)
        try:
            return await rotate_tokens(engine, cipher)
        finally:
            await engine.dispose()

    typer.echo(f"Encrypted the tokens of {_run(go())} row(s) with the first key. Keys after "
               "the first may now be removed from TOKEN_ENCRYPTION_KEY.")


@app.callback(invoke_without_command=True)
def options(
    debug: bool = typer.Option(False, "--debug", help="Show the full traceback of an error."),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """A team quiz bot for the AWS Developer – Associate exam."""
    _state.debug = debug
    if version:
        typer.echo(f"quizbot {_version()}")
        raise typer.Exit()


class _State:
    debug = False


_state = _State()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quizbot")
    except PackageNotFoundError:
        return "unknown (not installed)"


def main() -> None:
    """Entry point of the `quizbot` console script: operator mistakes print one line."""
    import sys

    from bot.operator_errors import explain

    try:
        app()
    except Exception as error:
        message = None if _state.debug else explain(error, _settings_or_none())
        if message is None:
            raise
        typer.echo(message, err=True)
        sys.exit(1)


def _settings_or_none() -> Settings | None:
    try:
        return Settings()
    except Exception:
        return None

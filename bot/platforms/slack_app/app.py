"""Build the AsyncApp: one workspace with a bot token, or many through OAuth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import async_default_handlers
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.handled_requests import SqlHandledRequests
from bot.adapters.token_cipher import TokenCipher
from bot.config import Settings
from bot.domain.errors import QuizError
from bot.platforms.chart_links import ChartLinks
from bot.platforms.inflight import InFlight
from bot.platforms.slack_app.admins import People
from bot.platforms.slack_app.deliveries import Deliveries
from bot.platforms.slack_app.events import WorkspaceEvents
from bot.platforms.slack_app.exam_listeners import ExamListeners
from bot.platforms.slack_app.installs import StoreTokens, installation_store, oauth_settings
from bot.platforms.slack_app.listeners import QuizListeners
from bot.platforms.slack_app.poster import FixedToken, TokenSource
from bot.platforms.slack_app.posting_call import CountedRateLimits
from bot.platforms.slack_app.reporting import ReportListeners
from bot.services.deps import Deps

RATE_LIMIT_RETRIES = 10  # times a 429 is waited out (Retry-After) and the call made again
# Named, because without a name Bolt walks the call stack for one, reading the source of
# every frame: a quarter of a second at each start.
APP_NAME = "quizbot"


@dataclass
class SlackApp:
    """The Bolt app with what the poster needs: a Web API client and where tokens come from."""

    bolt: AsyncApp
    client: AsyncWebClient
    tokens: TokenSource
    oauth: bool


def web_client(settings: Settings, token: str | None = None,
               on_limited: Callable[[], None] | None = None) -> AsyncWebClient:
    """A Web API client on SLACK_API_URL that waits out rate limits (counting them); the
    deliverer's posts take theirs back instead (SlackPoster, RateLimited)."""
    handlers = [*async_default_handlers(),
                CountedRateLimits(on_limited, max_retry_count=RATE_LIMIT_RETRIES)]
    return AsyncWebClient(token=token, base_url=settings.slack_api_url, retry_handlers=handlers)


def cipher_for(settings: Settings) -> TokenCipher:
    """The cipher for TOKEN_ENCRYPTION_KEY (none set: tokens are stored as Slack sends them)."""
    key = settings.token_encryption_key
    return TokenCipher.from_setting(key.get_secret_value() if key else None)


def build_app(settings: Settings, deps: Deps, engine: AsyncEngine,
              people: People | None = None, inflight: InFlight | None = None,
              charts: ChartLinks | None = None,
              on_limited: Callable[[], None] | None = None) -> SlackApp:
    """The AsyncApp with its listeners; OAuth when SLACK_CLIENT_ID and _SECRET are set.

    Listeners run before the response goes out (process_before_response), so Slack's 200
    means the command or answer is committed."""
    if not settings.slack_signing_secret:
        raise QuizError("Set SLACK_SIGNING_SECRET (Basic Information → App Credentials).")
    signing_secret = settings.slack_signing_secret.get_secret_value()
    people = people or People()
    store: AsyncInstallationStore | None = None
    tokens: TokenSource
    if settings.slack_client_id and settings.slack_client_secret:
        client = web_client(settings, on_limited=on_limited)
        store = installation_store(settings.slack_client_id, engine, cipher_for(settings))
        bolt = AsyncApp(
            name=APP_NAME, signing_secret=signing_secret, client=client,
            installation_store=store, process_before_response=True,
            oauth_settings=oauth_settings(settings.slack_client_id,
                                          settings.slack_client_secret.get_secret_value(),
                                          engine, store, deps))
        tokens = StoreTokens(store)
    elif settings.slack_bot_token:
        token = settings.slack_bot_token.get_secret_value()
        client = web_client(settings, token, on_limited)
        bolt = AsyncApp(name=APP_NAME, signing_secret=signing_secret, client=client,
                        process_before_response=True)
        tokens = FixedToken(token)
    else:
        raise QuizError("Set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID and "
                        "SLACK_CLIENT_SECRET to install in many.")
    bolt.middleware(Deliveries(SqlHandledRequests(engine), deps.clock).middleware)
    QuizListeners(deps, people, inflight, charts).register(bolt)
    ReportListeners(deps, people).register(bolt)
    ExamListeners(deps, people, inflight).register(bolt)
    WorkspaceEvents(deps, people, store).register(bolt)
    return SlackApp(bolt, client, tokens, oauth=store is not None)

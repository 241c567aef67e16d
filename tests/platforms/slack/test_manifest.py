"""The manifest asks Slack for exactly what the app uses, on the URLs the app serves."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.platforms.slack_app.events import EVENTS
from bot.platforms.slack_app.installs import REDIRECT_PATH, SCOPES
from bot.platforms.slack_app.routes import EVENTS_PATH

MANIFEST = Path(__file__).resolve().parents[3] / "slack-manifest.yaml"
SOCKET_MANIFEST = MANIFEST.with_name("slack-manifest-socket.yaml")


def manifest() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_the_manifest_asks_for_the_scopes_the_oauth_flow_requests() -> None:
    assert manifest()["oauth_config"]["scopes"]["bot"] == SCOPES


def test_the_manifest_points_every_url_at_a_route_the_app_serves() -> None:
    app = manifest()
    settings, features = app["settings"], app["features"]
    [command] = features["slash_commands"]
    assert command["command"] == "/quiz" and command["url"].endswith(EVENTS_PATH)
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert app["oauth_config"]["redirect_urls"][0].endswith(REDIRECT_PATH)
    assert features["app_home"]["home_tab_enabled"] is True


def test_the_manifest_subscribes_to_exactly_the_events_the_app_handles() -> None:
    assert manifest()["settings"]["event_subscriptions"]["bot_events"] == list(EVENTS)


def test_the_socket_mode_manifest_is_the_same_app_without_any_url() -> None:
    socket = yaml.safe_load(SOCKET_MANIFEST.read_text(encoding="utf-8"))
    http = manifest()
    assert socket["settings"].pop("socket_mode_enabled") is True
    assert http["settings"].pop("socket_mode_enabled") is False
    http["features"]["slash_commands"][0].pop("url")
    http["oauth_config"].pop("redirect_urls")
    http["settings"]["event_subscriptions"].pop("request_url")
    http["settings"]["interactivity"].pop("request_url")
    assert socket == http

"""A Discord chat for tests: the real client logged in to the fake API, events fed by hand."""

from __future__ import annotations

from typing import Any

from bot.adapters.runtime import Runtime
from bot.platforms.discord_bot.client import QuizClient
from bot.platforms.discord_bot.platform import DiscordPlatform
from tests.platforms.discord import gateway
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.discord.gateway import Person, Place


class DiscordChat:
    """Drives one DiscordPlatform the way Discord would: guild events, commands, clicks."""

    def __init__(self, runtime: Runtime, api: FakeDiscord) -> None:
        self.runtime, self.api = runtime, api
        self.platform = DiscordPlatform(runtime)
        self._client: QuizClient | None = None

    @property
    def client(self) -> QuizClient:
        """The running client."""
        assert self._client is not None, "start the chat first"
        return self._client

    async def start(self) -> None:
        """Log in to the fake API (buttons registered, commands synced if changed)."""
        self._client = await self.platform.open()

    async def stop(self) -> None:
        """Close the client."""
        await self.platform.stop()
        self._client = None

    async def restart(self) -> None:
        """What a deploy does: the old client goes away, a new one starts on the same data."""
        await self.stop()
        self.platform = DiscordPlatform(self.runtime)
        await self.start()

    async def join(self, place: Place, owner: Person) -> None:
        """The bot is added to a guild."""
        gateway.feed(self.client, "GUILD_CREATE", gateway.guild_create(place, owner))
        await gateway.settle()

    async def leave(self, place: Place) -> None:
        """The bot is removed from a guild."""
        gateway.feed(self.client, "GUILD_DELETE", {"id": place.guild})
        await gateway.settle()

    async def _interact(self, kind: int, place: Place, who: Person, data: dict[str, Any],
                        message: dict[str, Any] | None = None) -> dict[str, Any]:
        payload = gateway.interaction(kind, place, who, data, message)
        gateway.feed(self.client, "INTERACTION_CREATE", payload)
        reply = await self.api.reply_to(payload["token"])
        await gateway.settle()
        return reply

    async def slash(self, place: Place, who: Person, subcommand: str,
                    **options: str | bool | Person) -> dict[str, Any]:
        """`/quiz <subcommand> …`; returns the message the bot answered with."""
        return await self._interact(2, place, who, gateway.command(subcommand, **options))

    async def click(self, place: Place, who: Person, message: dict[str, Any],
                    custom_id: str) -> dict[str, Any]:
        """Click a button of a message; returns the bot's answer."""
        return await self._interact(3, place, who, gateway.button(custom_id), message)

    async def pick(self, place: Place, who: Person, message: dict[str, Any], custom_id: str,
                   values: list[str]) -> dict[str, Any]:
        """Choose values in a select menu of a message."""
        return await self._interact(3, place, who, gateway.select(custom_id, values), message)

    async def suggest(self, place: Place, who: Person, subcommand: str, option: str,
                      typed: str) -> list[dict[str, Any]]:
        """Autocomplete suggestions while typing an option."""
        reply = await self._interact(4, place, who,
                                     gateway.autocomplete(subcommand, option, typed))
        choices: list[dict[str, Any]] = reply["choices"]
        return choices


def custom_ids(message: dict[str, Any]) -> list[str]:
    """Every custom_id of a message's components, in order."""
    return [component["custom_id"] for row in message.get("components", [])
            for component in row.get("components", []) if "custom_id" in component]


def text_of(reply: dict[str, Any]) -> str:
    """A reply's content and embed text together, for assertions that read like the chat."""
    parts = [reply.get("content") or ""]
    for embed in reply.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
        parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def is_private(reply: dict[str, Any]) -> bool:
    """Whether only the member who asked sees the reply (ephemeral)."""
    return bool((reply.get("flags") or 0) & 64)

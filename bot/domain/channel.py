"""A channel that plays: where it is and what it asked for."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.schedule import ChannelSettings, Due


@dataclass(frozen=True)
class Channel:
    """A channel in one workspace, with its settings; `disabled` stops its schedule."""

    id: int
    workspace_id: int
    external_id: str
    name: str
    settings: ChannelSettings
    disabled: str | None = None
    due: Due = field(default_factory=lambda: Due())


@dataclass(frozen=True)
class Target:
    """Where a platform posts: the workspace and channel as the platform knows them."""

    platform: str
    workspace: str
    channel: str

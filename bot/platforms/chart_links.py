"""Signed, expiring links to a member's readiness chart, for platforms that show images by URL.

The link names the workspace and member; only the HMAC over them and the expiry lets the bot
serve the picture, so a link cannot be altered to show someone else's chart, and stops
working after a day.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

LIFETIME = timedelta(days=1)
READINESS_PATH = "/charts/readiness/{workspace}/{member}.png"


@dataclass(frozen=True)
class ChartLinks:
    """Makes and checks chart links under the bot's public address."""

    base_url: str
    secret: str

    def _signature(self, workspace_id: int, member_id: int, expires: int) -> str:
        message = f"readiness:{workspace_id}:{member_id}:{expires}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()[:32]

    def readiness_url(self, workspace_id: int, member_id: int, now: datetime) -> str:
        """The member's readiness chart, valid for a day from `now`."""
        expires = int((now + LIFETIME).timestamp())
        path = READINESS_PATH.format(workspace=workspace_id, member=member_id)
        signature = self._signature(workspace_id, member_id, expires)
        return f"{self.base_url.rstrip('/')}{path}?exp={expires}&sig={signature}"

    def valid(self, workspace_id: int, member_id: int, expires: int, signature: str,
              now: datetime) -> bool:
        """True for a link this bot signed that has not expired."""
        wanted = self._signature(workspace_id, member_id, expires)
        return hmac.compare_digest(wanted, signature) and now.timestamp() < expires

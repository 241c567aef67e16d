"""Slack tokens encrypted at rest with Fernet (from `cryptography`).

TOKEN_ENCRYPTION_KEY holds one or more Fernet keys, comma-separated: the first encrypts, every
one decrypts, so a key is rotated by putting a new one in front, running `quizbot tokens
rotate`, and then dropping the old one. A stored value carries a prefix, so tokens written
before encryption was turned on are still read (and encrypted by the next rotate).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.domain.errors import QuizError

PREFIX = "fernet:"


class TokenCipher:
    """Seals tokens for the database and opens them again; without keys it passes them on."""

    def __init__(self, keys: list[str]) -> None:
        try:
            self._fernet = MultiFernet([Fernet(key.strip()) for key in keys]) if keys else None
        except ValueError:
            raise QuizError("TOKEN_ENCRYPTION_KEY is not a list of Fernet keys. Make one with "
                            "`quizbot tokens new-key`.") from None

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher:
        """From TOKEN_ENCRYPTION_KEY (unset: tokens are stored as they are)."""
        return cls([k for k in (value or "").split(",") if k.strip()])

    @property
    def enabled(self) -> bool:
        """Whether tokens are encrypted."""
        return self._fernet is not None

    def seal(self, token: str | None) -> str | None:
        """The value to store: encrypted with the first key (unless already sealed)."""
        if token is None or self._fernet is None or token.startswith(PREFIX):
            return token
        return PREFIX + self._fernet.encrypt(token.encode()).decode()

    def open(self, stored: str | None) -> str | None:
        """The token from a stored value, sealed or written before encryption."""
        if stored is None or not stored.startswith(PREFIX):
            return stored
        if self._fernet is None:
            raise QuizError("Slack tokens in the database are encrypted: set "
                            "TOKEN_ENCRYPTION_KEY to the key they were encrypted with.")
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise QuizError("TOKEN_ENCRYPTION_KEY cannot decrypt the stored Slack tokens: keep "
                            "the old key in the list (new,old) until `quizbot tokens rotate` "
                            "has run.") from None

    def rotate(self, stored: str | None) -> str | None:
        """The stored value re-encrypted with the first key (plain ones encrypted)."""
        if stored is None or self._fernet is None:
            return stored
        if not stored.startswith(PREFIX):
            return self.seal(stored)
        try:
            return PREFIX + self._fernet.rotate(stored[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise QuizError("TOKEN_ENCRYPTION_KEY cannot decrypt a stored Slack token: add "
                            "the key it was encrypted with to the list.") from None


def new_key() -> str:
    """A fresh Fernet key."""
    return Fernet.generate_key().decode()

"""Errors meant for people: each says what is wrong and, where it helps, the right form."""


class QuizError(Exception):
    """Something the user asked for cannot be done; the message is shown to them as is."""


class CommandError(QuizError):
    """The command text does not parse."""


class NotAllowed(QuizError):
    """The caller may not do this (admin commands, another tenant's round)."""


class RoundClosed(QuizError):
    """The round has closed or does not exist here."""


class AlreadyAnswered(QuizError):
    """This member has already answered this round; the first answer counts."""


class UnknownRound(RoundClosed):
    """The round named by a button does not exist (a forged or mangled id)."""


class OtherWorkspace(NotAllowed):
    """The round exists, but in another workspace or guild than the click came from."""


class UnknownWorkspace(NotAllowed):
    """The click comes from a workspace or guild the bot has never set up."""

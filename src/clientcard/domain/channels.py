"""The channels a contact happens by: one list, for the agenda's rules and for the settings
(`log.via`, the channel `log` uses when none is given), which the agenda's rules import."""

from enum import StrEnum


class Channel(StrEnum):
    """How a contact happened."""

    call = "call"
    visit = "visit"
    meeting = "meeting"
    email = "email"
    letter = "letter"
    fax = "fax"
    sms = "sms"
    message = "message"
    card = "card"
    gift = "gift"
    other = "other"

"""Words, not codes, for people (docs/formats.md, "Words for people").

Tables and pages print a status or a kind as words ("kept late", "cancelled by the client",
"first visit"), in the interface's language (clientcard/i18n.py); the machine formats (json,
csv, tsv) keep the stored codes. A code not named below reads as itself with its underscores as
spaces (in English; Chinese shows the code itself when it has no word).
"""

from enum import Enum

from clientcard.i18n import N_, _, language

WORDS = {
    "kept_late": N_("kept late"),
    "cancelled_by_client": N_("cancelled by the client"),
    "cancelled_by_me": N_("cancelled by me"),
    "first_visit": N_("first visit"),
    "followup": N_("follow-up"),
    "recheck": N_("re-check"),
    "thanks": N_("thank-you"),
}

# The codes people meet in tables, named for the catalog (in English they read as themselves,
# underscores as spaces): statuses, kinds, channels, severities, who was responsible, ratings,
# F's kinds, occasions' kinds, audiences.
CODES = {
    "open": N_("open"),
    "kept": N_("kept"),
    "missed": N_("missed"),
    "deliverable": N_("deliverable"),
    "appointment": N_("appointment"),
    "promise": N_("promise"),
    "complaint": N_("complaint"),
    "occasion": N_("occasion"),
    "pool_return": N_("pool return"),
    "cadence": N_("cadence"),
    "explicit": N_("explicit"),
    "sale": N_("sale"),
    "low": N_("low"),
    "normal": N_("normal"),
    "high": N_("high"),
    "urgent": N_("urgent"),
    "resolved": N_("resolved"),
    "cancelled": N_("cancelled"),
    "received": N_("received"),
    "step": N_("step"),
    "reopened": N_("reopened"),
    "response": N_("response"),
    "resolution": N_("resolution"),
    "us": N_("us"),
    "company": N_("company"),
    "partner": N_("partner"),
    "client": N_("client"),
    "unknown": N_("unknown"),
    "call": N_("call"),
    "visit": N_("visit"),
    "meeting": N_("meeting"),
    "email": N_("email"),
    "letter": N_("letter"),
    "fax": N_("fax"),
    "sms": N_("sms"),
    "message": N_("message"),
    "card": N_("card"),
    "gift": N_("gift"),
    "other": N_("other"),
    "good": N_("good"),
    "fair": N_("fair"),
    "poor": N_("poor"),
    "new": N_("new"),
    "slow": N_("slow"),
    "birthday": N_("birthday"),
    "anniversary": N_("anniversary"),
    "promotion": N_("promotion"),
    "company-move": N_("company-move"),
    "new-product": N_("new-product"),
    "certification": N_("certification"),
    "holiday": N_("holiday"),
    "customers": N_("customers"),
    "prospects": N_("prospects"),
    "all": N_("all"),
}


def word(value: Enum | str) -> str:
    """A code as a person reads it, in the interface's language."""
    code = str(value.value) if isinstance(value, Enum) else value
    english = WORDS.get(code) or CODES.get(code)
    if english is None:
        return code.replace("_", " ")
    return english if language() == "en" else _(english)


# The built-in complaint causes (domain/settings.DEFAULT_CAUSES) and none given. A book's own
# cause reads as typed; one named like a built-in is read as the built-in (docs/i18n.md).
CAUSES = {
    "product": N_("product"),
    "delivery": N_("delivery"),
    "service": N_("service"),
    "price": N_("price"),
    "billing": N_("billing"),
    "communication": N_("communication"),
    "other": N_("other"),
    "not given": N_("not given"),
}


def cause_word(name: str) -> str:
    """A complaint's cause as a person reads it: a built-in cause in the interface's language,
    a book's own as typed."""
    english = CAUSES.get(name)
    return name if english is None or language() == "en" else _(english)

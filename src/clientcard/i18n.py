"""The interface's language: English or Simplified Chinese (issue 18), through gettext.

Every message a person reads is written in English in the source, marked `_("...")` where it is
shown (or `N_("...")` where it is defined, for text kept in a constant and translated when used),
extracted with Babel into `locale/clientcard.pot` and translated in
`locale/zh_CN/LC_MESSAGES/clientcard.po`; the compiled `.mo` beside it ships in the package
(docs/i18n.md). Machine formats (JSON keys, CSV headers, codes, exit codes) never change with
the language.

The language is, in this order: the one set by `use()` (the CLI passes the settings file's
`language`, when it is `zh` or `en`), else the locale environment, read as POSIX does (the first
of LC_ALL, LC_MESSAGES, LANG that is set and not empty): `zh*` is Chinese, anything else English.
Standard library only, so every layer may import it; nothing is read until the first message.
"""

import gettext
import os
from pathlib import Path

DOMAIN = "clientcard"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "zh")
_CATALOG = {"zh": "zh_CN"}  # a language's catalog under LOCALE_DIR

_chosen: str | None = None  # set by use(); None: the environment decides
_current: gettext.NullTranslations | None = None
_current_language: str | None = None


def environment_language() -> str:
    """The language the locale environment asks for: "zh" or "en"."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def use(language: str | None) -> None:
    """Show messages in `language` ("zh" or "en"); None (or "auto"): as the environment says."""
    global _chosen
    _chosen = language if language in LANGUAGES else None
    _reset()


def _reset() -> None:
    global _current, _current_language
    _current = None
    _current_language = None


def language() -> str:
    """The language messages are shown in now: "zh" or "en"."""
    return _chosen or environment_language()


def _translations() -> gettext.NullTranslations:
    global _current, _current_language
    wanted = language()
    if _current is None or _current_language != wanted:
        catalog = _CATALOG.get(wanted)
        _current = (
            gettext.translation(DOMAIN, LOCALE_DIR, languages=[catalog], fallback=True)
            if catalog
            else gettext.NullTranslations()
        )
        _current_language = wanted
    return _current


def _(message: str) -> str:
    """`message` in the interface's language (the English text itself when it has no
    translation)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the interface's language."""
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the interface's language, as meant in `context`: where one English word
    has two meanings ("Value": a client's worth, a setting's value)."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now: a constant defined at import,
    translated with `_()` where it is shown."""
    return message

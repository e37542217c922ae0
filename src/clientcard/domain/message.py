"""English text kept in a machine field, shown to people in the interface's language.

A grade's meaning, a setting's meaning, a ladder row's action: JSON, CSV and TSV carry them in
English (machine formats never change with the language), while tables and pages show them
translated. A `Message` is that text: a `str` whose value is the English (what JSON writes),
which remembers its template (marked `N_()` where it is written, for the catalog) and its
named values, so that `output.human_value` can show it with `_()` (clientcard/i18n.py).

Put into a sentence with an f-string or `str.format` (`f"{grade}: {meaning}"`, a line for
people), it is the translated text too; `str()`, JSON and CSV give the English.
"""

from typing import Any


class Message(str):
    """English text (`template` with `values` put in) that people's formats translate."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> "Message":
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __format__(self, spec: str) -> str:
        """In a sentence (an f-string, `str.format`): the text people read."""
        return format(self.shown(), spec)

    def shown(self) -> str:
        """The text in the interface's language (its values shown the same way)."""
        from clientcard.i18n import _

        text = _(self.template)
        if not self.values:
            return text
        return text.format(
            **{k: v.shown() if isinstance(v, Message) else v for k, v in self.values.items()}
        )


def shown(value: object) -> str:
    """`value` as people read it: translated when it is a `Message`, else as text."""
    return value.shown() if isinstance(value, Message) else str(value)

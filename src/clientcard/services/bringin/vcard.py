"""vCard files as cards: a `.vcf` of one card or many (a phone's, Google's, Outlook's, iCloud's
export), or a folder of them as khard and Nextcloud keep them. The file is read by
domain/vcard.py (every rule is there); this turns each card into an `Incoming` card, or a
`Refused` one when it has nothing to be named by.
"""

import re
from collections.abc import Iterator, Sequence

from clientcard.domain.errors import InvalidValue
from clientcard.domain.grades import Grade, parse_grade
from clientcard.domain.occasions import OccasionKind
from clientcard.domain.vcard import VCard, read_cards
from clientcard.i18n import _
from clientcard.services.bringin.incoming import Day, Incoming, Refused, Shape, labelled
from clientcard.services.bringin.text import codec_of
from clientcard.services.clients import CardFields

# The file names a folder's vCards have (in any case).
EXTENSIONS = (".vcf", ".vcard")
_BEGIN = re.compile(rb"^BEGIN:VCARD", re.IGNORECASE | re.MULTILINE)  # for the progress bar


class VCards:
    """The cards of one vCard file, or of several (a folder's, in the order given: each card
    then names its file)."""

    def __init__(
        self, files: Sequence[tuple[str | None, bytes]], encoding: str | None = None
    ) -> None:
        if encoding is not None:
            codec_of(encoding, "gb18030, big5, shift_jis")
        self._files = files
        self._encoding = encoding
        self.read_as: str | None = None
        self.ignored: list[str] = []
        self.shape = Shape("vcard")
        self.size: int | None = sum(len(_BEGIN.findall(data)) for _, data in files)
        self.warnings: list[str] = []  # "a.vcf, line 7: a card without a name: named from..."

    def _warn(self, name: str | None, warnings: list[str]) -> None:
        self.warnings += [(f"{name}, " if name else "") + w for w in warnings]

    def cards(self, before: int) -> Iterator[Incoming | Refused]:
        for name, data in self._files:
            try:
                for card in read_cards(data, self._encoding):
                    self._warn(name, card.warnings)
                    yield self.incoming(card, name)
            except InvalidValue as exc:  # not vCard: the whole import stops, nothing written
                if name is None:
                    raise
                raise InvalidValue(_("{name}, {exc}").format(name=name, exc=exc)) from None

    @staticmethod
    def incoming(card: VCard, name: str | None) -> Incoming | Refused:
        if card.name is None:
            return Refused(
                card.line,
                _("a card without a name, organisation, nickname, e-mail or phone"),
                card.text,
                name,
            )
        notes = card.notes
        grade: Grade | None = None
        kept = list(card.kept)
        if card.grade is not None:
            try:
                grade = parse_grade(card.grade)
            except InvalidValue:
                notes = "\n".join(filter(None, [notes, f"Grade: {card.grade}"]))
                kept.append(_("X-CLIENTCARD-GRADE (not a grade A to F)"))
        occasions: list[tuple[str, Day]] = []
        if card.birthday is not None:
            occasions.append((OccasionKind.birthday.value, card.birthday))
        occasions += [(OccasionKind.anniversary.value, day) for day in card.anniversaries]
        return Incoming(
            card.line,
            CardFields(
                name=card.name,
                company=card.company,
                title=card.title,
                phones=[labelled(*entry) for entry in card.phones],
                emails=[labelled(*entry) for entry in card.emails],
                address=card.address,
                notes=notes,
                grade=grade,
                tags=card.tags,
            ),
            occasions,
            kept,
            card.text,
            name,
        )

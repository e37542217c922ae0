"""When two cards are likely the same client (issue 14): pure comparisons, no database.

Three rules, the strongest first (docs/duplicates.md):

- the same phone: one of a card's numbers has the key of one of the other's
  (`cards.phone_key`: digits with the country code, so spacing and +86 do not matter);
- the same e-mail address (`cards.email_key`: trimmed, case-folded);
- the same name and company: `identity_key`, the name as `name_key` folds it and the company
  folded (`company_key`), both cards with a company. Two 张伟 at different companies are two
  people, and a name without a company is too common to decide (a book of 100,000 cards has
  some 20,000 without a company): the import's rule too (services/bringin).

`dupes` loosens the last rule to near-identical names at the same company (`loose_name_key`):
names that differ only in blanks, punctuation, case, full-width letters, the order of the words
of a Latin name, or a title before or after them (Mr, Ms, Dr, 先生, 女士...). The rule is one key
per card, so grouping is one pass over the book (a dict, never a comparison of every pair), and
it works for CJK names, which have no blanks and no case to differ in.
"""

import re
import unicodedata

from clientcard.domain.cards import name_key

# Titles said before or after a name that do not make it another person's. Only forms of
# address, not jobs (张总, 王经理 name a role someone has, which two people may share).
TITLES_BEFORE = ("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam")
TITLES_AFTER = ("先生", "女士", "小姐", "太太", "夫人", "jr", "sr")
# What is dropped between the parts of a name: blanks, and the punctuation of names
# (Zhang-Wei, Wang Fang., 欧阳·娜娜, "Li, Na"); an apostrophe joins (O'Brien).
_PUNCTUATION = re.compile("[\\s.,\u00b7\u30fb\u2027\\-_/()\uff08\uff09]+")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
# A CJK title written onto the name, without a blank (张伟先生).
_CJK_TITLE_AFTER = re.compile("(.)(?:" + "|".join(t for t in TITLES_AFTER if _CJK.match(t)) + ")$")


def company_key(company: str | None) -> str:
    """A company as duplicates compare it: full-width folded (NFKC), case-folded, every blank
    removed (`平安 保险` is `平安保险`, `ACME  Ltd` is `acmeltd`); "" for none."""
    if not company:
        return ""
    return "".join(unicodedata.normalize("NFKC", company).casefold().split())


def identity_key(name: str, company: str | None) -> tuple[str, str] | None:
    """The key of the rule "same name and company": two cards (or an imported row and a card)
    are the same client by name when their keys are equal. The name as stored cards hold it
    (`name_key`: case-folded, blanks folded), the company as `company_key` folds it; None
    without a company: the name alone decides nothing."""
    folded = company_key(company)
    if not folded:
        return None
    return name_key(" ".join(unicodedata.normalize("NFC", name).split())), folded


def same_name_and_company(
    name: str, company: str | None, other_name: str, other_company: str | None
) -> bool:
    key = identity_key(name, company)
    return key is not None and key == identity_key(other_name, other_company)


def loose_name_key(name: str) -> str:
    """A name as `dupes` compares it for near-identical names: full-width folded (NFKC),
    case-folded, a title before or after it dropped, its words joined without blanks or
    punctuation; the words of a name without CJK characters sorted first, so "Zhang Wei" and
    "Wei Zhang" are one (a CJK name keeps its order: 张伟 is not 伟张). A name that is only a
    title keeps it."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("'", "").replace("\u2019", "")  # O'Brien is one word
    words = [w for w in _PUNCTUATION.split(text) if w]
    if len(words) > 1 and words[0] in TITLES_BEFORE:
        words = words[1:]
    if len(words) > 1 and words[-1] in TITLES_AFTER:
        words = words[:-1]
    elif words:
        words[-1] = _CJK_TITLE_AFTER.sub(r"\1", words[-1])
    if not _CJK.search("".join(words)):
        words = sorted(words)
    return "".join(words)

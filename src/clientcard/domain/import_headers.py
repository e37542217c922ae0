"""The column headers `import` recognises: ours, common Chinese ones, Google Contacts (current
and legacy), Outlook (Outlook.com and desktop) and Thunderbird. docs/import.md has this table
for people; keep the two together.

A header is matched with its case folded and every blank removed, so `E-mail Address`,
`e-mail address` and `E-mailAddress` are one header, as are `姓 名` and `姓名`. Each header
names a *target*: a field of the card, or a part of one that the import puts together
(`first_name` + `last_name` -> the name; several phone columns -> the phone; `wechat` -> a line
of the notes). A header that names no target is kept in the notes as `Header: value`.
"""

import re
from collections.abc import Iterable
from datetime import date

# What a column can be mapped to (also with `--map 'Header=target'`).
TARGETS = (
    "name",
    "first_name",
    "middle_name",
    "last_name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "notes",
    "owner",
    "grade",
    "tags",
    "referred_by",
    "birthday",
    "birth_year",
    "birth_month",
    "birth_day",
    "wechat",
    "phones",
    "emails",
    "anniversary",
    "ignore",
)

# The columns of clientcard's own listing that a new card cannot take (an export imports back):
# they are skipped and named once. `referred_by` is a card id of the book it came from;
# `created_by` and `updated_by` name who made the card there (the import's user makes it here).
LISTING_ONLY = (
    "id",
    "referred_by",
    "created_at",
    "updated_at",
    "archived",
    "customer",
    "f_kind",
    "grade_since",
    "days_in_grade",
    "created_by",
    "updated_by",
)

# The column `import --rejects` adds to the refused rows (the reason): skipped when they are
# imported again, once fixed (output/rejects.py writes it).
REJECTS_COLUMN = "clientcard_refused"

# The columns of clientcard's own listing an import takes, each under its own name; `name` is
# required. With LISTING_ONLY they are every column of the listing (tests/test_transfer.py).
# `phones` and `emails` (`mobile:138 0013 8000; work:010 6552 1234`) are a card's whole lists:
# given, they are the card's, and `phone` and `email` (the main ones, first in them) add nothing.
OWN_COLUMNS = (
    "name",
    "company",
    "title",
    "phone",
    "email",
    "address",
    "source",
    "notes",
    "owner",
    "grade",
    "tags",
    "phones",
    "emails",
)

# header (as people write it) -> target. The key is normalised by `header_key`.
ALIASES: dict[str, str] = {
    **{name: name for name in OWN_COLUMNS},
    # Chinese (Excel sheets of Chinese salespeople, CRM exports)
    "姓名": "name",
    "客户姓名": "name",
    "客户名称": "name",
    "名字": "name",
    "姓": "last_name",
    "名": "first_name",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "电话": "phone",
    "座机": "phone",
    "邮箱": "email",
    "电子邮箱": "email",
    "电子邮件": "email",
    "公司": "company",
    "单位": "company",
    "公司名称": "company",
    "职位": "title",
    "职务": "title",
    "地址": "address",
    "联系地址": "address",
    "客户来源": "source",
    "来源": "source",
    "客户级别": "grade",
    "意向级别": "grade",
    "级别": "grade",
    "推荐人": "referred_by",
    "标签": "tags",
    "备注": "notes",
    "生日": "birthday",
    "微信号": "wechat",
    "微信": "wechat",
    "负责人": "owner",
    # The same in traditional characters (Big5 sheets from Taiwan and Hong Kong)
    "客戶姓名": "name",
    "客戶名稱": "name",
    "手機": "phone",
    "手機號碼": "phone",
    "聯絡電話": "phone",
    "聯繫電話": "phone",
    "電話": "phone",
    "郵箱": "email",
    "電子郵箱": "email",
    "電子郵件": "email",
    "公司名稱": "company",
    "職位": "title",
    "職務": "title",
    "聯絡地址": "address",
    "聯繫地址": "address",
    "客戶來源": "source",
    "來源": "source",
    "客戶級別": "grade",
    "意向級別": "grade",
    "級別": "grade",
    "推薦人": "referred_by",
    "標籤": "tags",
    "備註": "notes",
    "微信號": "wechat",
    # Google Contacts, current ("First Name", "Phone 1 - Value", "Labels"...)
    "firstname": "first_name",
    "middlename": "middle_name",
    "lastname": "last_name",
    "organizationname": "company",
    "organizationtitle": "title",
    "birthday": "birthday",
    "labels": "tags",
    # Google Contacts, legacy ("Given Name", "Organization 1 - Name", "Group Membership"...)
    "givenname": "first_name",
    "additionalname": "middle_name",
    "familyname": "last_name",
    "organization1-name": "company",
    "organization1-title": "title",
    "groupmembership": "tags",
    "address1-formatted": "address",
    # Outlook.com and Outlook desktop
    "jobtitle": "title",
    "e-mailaddress": "email",
    "e-mail2address": "email",
    "e-mail3address": "email",
    "mobilephone": "phone",
    "businessphone": "phone",
    "businessphone2": "phone",
    "homephone": "phone",
    "homephone2": "phone",
    "companymainphone": "phone",
    "primaryphone": "phone",
    "categories": "tags",
    "businessfax": "phone",
    "homefax": "phone",
    "otherfax": "phone",
    "otherphone": "phone",
    "carphone": "phone",
    "pager": "phone",
    "assistant'sphone": "phone",
    "anniversary": "anniversary",
    # Thunderbird
    "displayname": "name",
    "primaryemail": "email",
    "secondaryemail": "email",
    "workphone": "phone",
    "mobilenumber": "phone",
    "faxnumber": "phone",
    "organization": "company",
    "birthyear": "birth_year",
    "birthmonth": "birth_month",
}
# The label a phone or e-mail column gives its values (a card's phones and e-mails are
# labelled: `mobile:138 0013 8000`). Google's numbered columns take theirs from the row's
# "Phone 1 - Label" ("Phone 1 - Type" in the legacy format).
REACH_LABELS: dict[str, str] = {
    "手机": "mobile",
    "手机号": "mobile",
    "手机号码": "mobile",
    "手機": "mobile",
    "手機號碼": "mobile",
    "座机": "work",
    "mobilephone": "mobile",
    "mobilenumber": "mobile",
    "businessphone": "work",
    "businessphone2": "work",
    "companymainphone": "work",
    "workphone": "work",
    "homephone": "home",
    "homephone2": "home",
    "businessfax": "fax",
    "homefax": "fax",
    "faxnumber": "fax",
    "otherphone": "other",
    "otherfax": "fax",
    "carphone": "car",
    "pager": "pager",
    "assistant'sphone": "assistant",
    "e-mail2address": "other",
    "e-mail3address": "other",
    "secondaryemail": "other",
}

# Thunderbird's "Birth Day" folds to "birthday" as Google's "Birthday" does: the same header
# key, told apart by the file having a "Birth Month" column (`targets_of`).
# Values Outlook desktop writes in every row when the field was never filled: nothing to keep.
EMPTY_VALUES: dict[str, frozenset[str]] = {
    "birthday": frozenset({"0/0/00", "0/0/0000", "00/00/00"}),
    "anniversary": frozenset({"0/0/00", "0/0/0000", "00/00/00"}),
    "gender": frozenset({"Unspecified"}),
    "priority": frozenset({"Normal"}),
    "sensitivity": frozenset({"Normal"}),
    "private": frozenset({"False"}),
}
# Google's numbered phone and e-mail columns: "Phone 1 - Value" ... "E-mail 9 - Value".
_NUMBERED = re.compile(r"(phone|e-mail)(\d+)-value")
# ... and the label of each: "Phone 1 - Label" (current), "Phone 1 - Type" (legacy).
_NUMBERED_LABEL = re.compile(r"(phone|e-mail)(\d+)-(?:label|type)")


def numbered(key: str) -> tuple[str, bool] | None:
    """Google's numbered column as ("phone 1", is its label), or None for any other header."""
    found = _NUMBERED.fullmatch(key)
    if found:
        return f"{found[1]} {found[2]}", False
    found = _NUMBERED_LABEL.fullmatch(key)
    if found:
        return f"{found[1]} {found[2]}", True
    return None


def google_label(text: str) -> str | None:
    """A label as Google writes it ("* Home", "Mobile", "Work Fax"): without the star, a known
    one lower-cased; None when blank."""
    label = text.strip().removeprefix("*").strip()
    if not label:
        return None
    return {"work fax": "fax", "home fax": "fax", "main": "work"}.get(label.casefold(), label)


_BLANKS = re.compile(r"\s+")


def header_key(header: str) -> str:
    """A header as it is matched: case folded, blanks removed (a BOM too)."""
    return _BLANKS.sub("", header.replace("\ufeff", "")).casefold()


def target_of(header: str) -> str | None:
    """The target a header names, or None for a column kept in the notes. The listing's own
    columns that a new card cannot take are "ignore"."""
    key = header_key(header)
    if key in ALIASES:
        return ALIASES[key]
    if key in LISTING_ONLY or key == REJECTS_COLUMN:
        return "ignore"
    found = numbered(key)
    if found:
        if found[1]:
            return "reach_label"
        return "phone" if found[0].startswith("phone") else "email"
    return None


def targets_of(headers: Iterable[str], mapping: dict[str, str]) -> list[str | None]:
    """The target of every header of a file, `--map` (header key -> target) first."""
    headers = list(headers)
    keys = [header_key(h) for h in headers]
    thunderbird = "birthmonth" in keys
    # Outlook's "Title" is the courtesy title (Mr., Dr.) next to its "Job Title": a note.
    outlook = "jobtitle" in keys
    out: list[str | None] = []
    for header, key in zip(headers, keys, strict=True):
        if key in mapping:
            out.append(mapping[key])
        elif thunderbird and key == "birthday":
            out.append("birth_day")
        elif outlook and key == "title":
            out.append(None)
        else:
            out.append(target_of(header))
    return out


# ---- putting a row's parts together -----------------------------------------------------

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def full_name(first: str, middle: str, last: str) -> str:
    """A name from its parts: Chinese, Japanese and Korean names family name first, without a
    space (张 + 伟 = 张伟); others "First Middle Last"."""
    if _CJK.search(first + middle + last):
        return last + middle + first
    return " ".join(p for p in (first, middle, last) if p)


def joined_phones(phones: list[str]) -> str | None:
    """The card's phone from every phone column of a row: the different numbers, in the
    file's order, joined with ", ". (One place, so that it can become a list of phones.)"""
    seen: dict[str, None] = {}
    for phone in phones:
        if phone:
            seen[phone] = None
    return ", ".join(seen) or None


_TAG_SPLIT = re.compile(":::|[,;\uff0c\uff1b\u3001]")  # and the Chinese comma, semicolon, 、


def split_tags(text: str) -> list[str]:
    """Tags from a labels cell: split at `,` `;` `:::` (Google) and their Chinese forms; a
    blank inside a tag becomes `-`; Google's system labels (`* myContacts`, `* starred`) are
    dropped."""
    tags = []
    for part in _TAG_SPLIT.split(text):
        part = part.strip()
        if not part or part.startswith("* "):
            continue
        tags.append(_BLANKS.sub("-", part))
    return tags


_GRADE = re.compile(r"([A-Fa-f])\s*(?:级|类|類|級)?")


def grade_letter(text: str) -> str | None:
    """A grade from a Chinese grade column: `A` to `F`, in any case, maybe followed by 级 or 类
    (`A级`, `b类`); None for anything else (kept in the notes)."""
    found = _GRADE.fullmatch(text.strip())
    return found[1].upper() if found else None


_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")  # Outlook's, in the US way (3/22/1980)
_MD = re.compile(r"(?:--)?(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?")


def birthday_parts(text: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) from a birthday cell: `1980-03-22`, `1980/3/22`,
    `1980.3.22`, `1980年3月22日`, Outlook's `3/22/1980` (month first unless it cannot be:
    `22/3/1980`), Google's yearless `--03-22`, `03-22`, `3月22日`; None for anything else
    (kept in the notes). The date itself is checked by the caller."""
    text = text.strip()
    found = _YMD.fullmatch(text)
    if found:
        return int(found[1]), int(found[2]), int(found[3])
    found = _MDY.fullmatch(text)
    if found:
        month, day = int(found[1]), int(found[2])
        if month > 12 >= day:  # 22/3/1980: day first, as outside the US
            month, day = day, month
        return int(found[3]), month, day
    found = _MD.fullmatch(text)
    if found:
        return None, int(found[1]), int(found[2])
    return None


def real_day(parts: tuple[int | None, int, int] | None) -> tuple[int | None, int, int] | None:
    """`parts` when they name a day of the calendar (a yearless 29 February does), else None."""
    if parts is None:
        return None
    year, month, day = parts
    try:
        date(year or 2000, month, day)  # 2000: a leap year, so 29 February is a day
    except ValueError:
        return None
    return parts

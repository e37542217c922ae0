"""Issue 14, point 1: phones compared by normalised digits, in the region of the settings.

- `phone_key` (domain/phone_keys.py) gives a number's E.164 digits as `phonenumbers` (Google's
  libphonenumber) reads it in the `phone.region` setting (CN by default), from a table generated
  from the library's metadata: the table is not stale, and the two agree on every example
  number of every region, written in many ways, and on random digits.
- Where they differ by design: extensions are kept (after an `x`), text with letters has no
  key, digits the library refuses still have one.
- `config set phone.region` checks the code (exit 2) and re-keys the book in its transaction,
  on SQLite and PostgreSQL; add, edit, lookups, search and import read numbers in the region.

Now is pinned by the autouse fixtures (tests/conftest.py).
"""

import json
import random
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from clientcard.domain import phone_regions_gen
from clientcard.domain.phone_keys import phone_key
from helpers import add, assert_error, write

TABLE = Path(phone_regions_gen.__file__).with_name("phone_regions.py")


def test_the_table_is_what_the_generator_writes_from_the_installed_phonenumbers() -> None:
    """`python -m clientcard.domain.phone_regions_gen > src/clientcard/domain/phone_regions.py`
    after upgrading phonenumbers."""
    assert TABLE.read_text(encoding="utf-8") == phone_regions_gen.render()


def library_key(text: str, region: str) -> str | None:
    """What phonenumbers says: the E.164 digits (and `x` and the extension), for a number it
    reads as possible; None for one it refuses or finds impossible."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)[1:]
    return e164 + (f"x{number.extension}" if number.extension else "")


def written_ways(number: phonenumbers.PhoneNumber, region: str) -> list[tuple[str, str]]:
    """A number as people write it, and the region it is typed in: national forms in its own
    region; international ones (+, 00, 011, `+44 (0) 20...`) typed in CN and in the US."""
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    significant = phonenumbers.national_significant_number(number)
    ways = [
        (national, region),
        (national.replace(" ", ""), region),
        (national.replace(" ", "-"), region),
        (significant, region),
        (international, region),
        (e164, region),
        (international, "CN"),
        (international.replace(" ", "-"), "US"),
        ("00" + e164[1:], "CN"),
        ("00 " + international[1:], "CN"),
        ("011 " + international[1:], "US"),
        (national + " ext. 123", region),
        (international + " x 45", "CN"),
    ]
    prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
    if prefix:
        ways.append((f"+{number.country_code} ({prefix}) {significant}", "CN"))
    return ways


def test_keys_agree_with_phonenumbers_on_every_example_number_written_every_way() -> None:
    checked, disagree = 0, []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in PhoneNumberType.values():
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            for text, typed_in in written_ways(number, region):
                expected = library_key(text, typed_in)
                if expected is None:
                    continue
                checked += 1
                if phone_key(text, typed_in) != expected:
                    disagree.append((text, typed_in, phone_key(text, typed_in), expected))
    assert disagree == []
    assert checked > 14_000  # 245 regions, their example numbers, a dozen ways each


# The regions our users work in (issue 14), and random digits as they come: with and without a
# national prefix, an international one, the region's code without a +, CN's 17951 carrier
# prefix, a + before a 0.
OUR_REGIONS = ["CN", "HK", "MO", "TW", "SG", "MY", "US", "CA", "GB", "JP", "KR", "DE", "AU"]
PREFIXES = ["", "", "0", "00", "+", "+0", "1", "011", "010", "8", "86", "0086", "17951"]


def test_keys_agree_with_phonenumbers_on_random_digits() -> None:
    rng = random.Random(14)
    checked, disagree = 0, []
    for _ in range(40_000):
        region = rng.choice(OUR_REGIONS)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 14)))
        text = rng.choice(PREFIXES) + digits
        expected = library_key(text, region)
        if expected is None:
            continue
        checked += 1
        if phone_key(text, region) != expected:
            disagree.append((text, region, phone_key(text, region), expected))
    assert disagree == []
    assert checked > 10_000


@pytest.mark.parametrize(
    ("typed", "region", "key"),
    [
        # Mainland China: mobiles, 0-prefixed landlines, +86 / 0086, 86 without a +, and a
        # carrier's IP-call prefix (17951) taken off as the library does.
        ("138 0013 8000", "CN", "8613800138000"),
        ("+86 138-0013-8000", "CN", "8613800138000"),
        ("0086 13800138000", "CN", "8613800138000"),
        ("8613800138000", "CN", "8613800138000"),
        ("17951 138 0013 8000", "CN", "8613800138000"),
        ("010-6552 1234", "CN", "861065521234"),
        ("(021) 5555 6666", "CN", "862155556666"),
        ("+86 (0)10 6552 1234", "CN", "861065521234"),
        # Full-width, as a Chinese input method types it.
        (
            "\uff10\uff11\uff10\uff0d\uff16\uff15\uff15\uff12\u3000\uff11\uff12\uff13\uff14",
            "CN",
            "861065521234",
        ),
        # No national prefix in Hong Kong, Macau, Singapore: the number as dialled.
        ("9123 4567", "HK", "85291234567"),
        ("2812 3456", "HK", "85228123456"),
        ("6612 3456", "MO", "85366123456"),
        ("6123 4567", "SG", "6561234567"),
        # A trunk 0 in Taiwan, Malaysia, Britain, Japan, Korea, Germany, Australia.
        ("02 2345 6789", "TW", "886223456789"),
        ("0912 345 678", "TW", "886912345678"),
        ("012-345 6789", "MY", "60123456789"),
        ("020 7031 3000", "GB", "442070313000"),
        ("03-1234-5678", "JP", "81312345678"),
        ("090-1234-5678", "JP", "819012345678"),
        ("02-312-3456", "KR", "8223123456"),
        ("010-2000-0000", "KR", "821020000000"),
        ("030 123456", "DE", "4930123456"),
        ("(02) 9876 5432", "AU", "61298765432"),
        ("0412 345 678", "AU", "61412345678"),
        # North America: a trunk 1, and 011 to dial out; 00 is no international prefix there.
        ("(650) 253-0000", "US", "16502530000"),
        ("1 650 253 0000", "US", "16502530000"),
        ("416-555-0123", "CA", "14165550123"),
        ("011 44 20 7031 3000", "US", "442070313000"),
        # With its country code a number reads the same in any region.
        ("+852 9123 4567", "US", "85291234567"),
        ("+44 (0)20 7031 3000", "CN", "442070313000"),
        ("0044 20 7031 3000", "HK", "442070313000"),
    ],
)
def test_a_number_is_read_in_its_region(typed: str, region: str, key: str) -> None:
    assert phone_key(typed, region) == key
    if not any("\uff00" <= ch <= "\uffef" for ch in typed):
        assert library_key(typed, region) == key


@pytest.mark.parametrize(
    ("typed", "key", "library"),
    [
        # An extension stays in the key: two people behind one switchboard are two numbers.
        ("010-6552 1234 ext. 8001", "861065521234x8001", "861065521234x8001"),
        ("010-6552 1234 x8001", "861065521234x8001", "861065521234x8001"),
        # The Chinese ways to write one, which the library does not know.
        ("010-6552 1234 转 8001", "861065521234x8001", None),
        ("010-6552 1234 分机 8001", "861065521234x8001", None),
        # Letters: no key. The library reads letters as a phone's keypad (1-800-FLOWERS).
        ("400-FLOWERS", None, "864003569377"),
        ("138 0013 8000 张总", None, None),
        ("ask reception", None, None),
        # Digits the library refuses (too short to be a number) still have a key.
        ("8001", "868001", None),
    ],
)
def test_where_the_key_differs_from_the_library_by_design(
    typed: str, key: str | None, library: str | None
) -> None:
    assert phone_key(typed, "CN") == key
    assert library_key(typed, "CN") == library


def test_an_unknown_region_reads_as_cn_and_no_number_has_no_key() -> None:
    assert phone_key("138 0013 8000", "XX") == phone_key("138 0013 8000", "CN")
    assert phone_key(None, "CN") is None
    assert phone_key("", "CN") is None
    assert phone_key(" - ", "CN") is None


# ---- the setting ---------------------------------------------------------------------------


def test_the_setting_is_a_region_code_checked_and_shown(ok, cli, tmp_path: Path) -> None:
    shown = {r["key"]: r for r in json.loads(ok("config", "show", "-f", "json").stdout)}
    assert (shown["phone.region"]["value"], shown["phone.region"]["default"]) == ("CN", "CN")
    set_ = ok("config", "set", "--book", "phone.region", " hk ").stdout
    assert set_.startswith("phone.region = HK (saved in the book)")
    assert not (tmp_path / "config.toml").exists()  # the book's setting, not the user's
    shown = {r["key"]: r for r in json.loads(ok("config", "show", "-f", "json").stdout)}
    assert (shown["phone.region"]["value"], shown["phone.region"]["source"]) == ("HK", "book")
    for bad in ("XX", "China", "86", "001", "", "C N"):
        assert_error(
            cli("config", "set", "--book", "phone.region", bad),
            2,
            f"phone.region must be a region code such as CN, HK, TW, SG, US or GB (ISO 3166), "
            f"not {bad!r}",
        )
    shown = {r["key"]: r for r in json.loads(ok("config", "show", "-f", "json").stdout)}
    assert shown["phone.region"]["value"] == "HK"


def test_a_hand_edited_bad_region_is_one_clear_line(cli, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[phone]\nregion = "ZZ"\n', encoding="utf-8")
    result = cli("add", "张伟", "--phone", "138 0013 8000")
    assert result.exit_code == 2
    assert "phone.region must be a region code" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def book(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The book on a file, then on a real PostgreSQL database."""
    if request.param == "postgresql":
        monkeypatch.setenv("CLIENTCARD_DB", request.getfixturevalue("postgres_url"))
    return str(request.param)


def keys(ok: Any) -> dict[str, Any]:
    """Every number and its key, and every card's main key, search key and updated_at, as
    the book holds them."""
    from clientcard.cli._common import session

    with session(write=False) as s:
        reach = s.rows("SELECT client_id, value, key FROM client_reach ORDER BY id")
        cards = s.rows("SELECT id, phone_key, search_key, updated_at FROM client ORDER BY id")
    return {"reach": [tuple(r) for r in reach], "cards": [tuple(c) for c in cards]}


def test_a_new_region_rekeys_the_book_in_one_go(ok, cli, book: str) -> None:
    add(ok, "张伟", "--phone", "mobile:138 0013 8000", "--phone", "work:010-6552 1234 转 8001")
    add(ok, "Chan Tai Man", "--phone", "9123 4567")
    add(ok, "Bob", "--phone", "+1 650 253 0000")
    add(ok, "No number", "--email", "a@b.cn")
    before = keys(ok)
    assert before["reach"][:3] == [
        (1, "138 0013 8000", "8613800138000"),
        (1, "010-6552 1234 转 8001", "861065521234x8001"),
        (2, "9123 4567", "8691234567"),
    ]

    out = ok("config", "set", "--book", "phone.region", "HK").stdout
    assert out.endswith("; phone numbers re-keyed on 2 cards\n")  # Bob's has its +1
    after = keys(ok)
    assert after["reach"][:4] == [
        (1, "138 0013 8000", "85213800138000"),
        (1, "010-6552 1234 转 8001", "85201065521234x8001"),  # HK has no trunk 0 to drop
        (2, "9123 4567", "85291234567"),
        (3, "+1 650 253 0000", "16502530000"),
    ]
    (zhang, chan, bob, nobody) = after["cards"]
    assert (zhang[1], chan[1], bob[1], nobody[1]) == (
        "85213800138000",
        "85291234567",
        "16502530000",
        None,
    )
    assert "85291234567" in chan[2]  # the search key too
    assert "8691234567" not in chan[2]
    assert [c[3] for c in after["cards"]] == [c[3] for c in before["cards"]]  # no card edited
    assert bob == before["cards"][2]

    # The book now reads numbers in Hong Kong: lookups, search, duplicates.
    assert json.loads(ok("show", "+852 9123 4567", "-f", "json").stdout)["id"] == 2
    found = json.loads(ok("list", "--search", "+852 91234567", "-f", "json").stdout)
    assert [c["id"] for c in found] == [2]
    assert_error(
        cli("add", "Again", "--phone", "852-9123-4567"),
        3,
        "the phone 852-9123-4567 is already on #2 Chan Tai Man, phone 9123 4567; if this is "
        "the same client, use that card (or `clientcard edit` it); if not, add "
        "--allow-duplicate",
    )

    # The same region again changes nothing; back to CN restores the keys as they were.
    assert ok("config", "set", "--book", "phone.region", "HK").stdout.endswith(" on 0 cards\n")
    ok("config", "set", "--book", "phone.region", "CN")
    assert keys(ok) == before


def test_a_failed_rekey_leaves_the_book_and_the_file_as_they_were(
    ok, cli, book: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(ok, "Chan Tai Man", "--phone", "9123 4567")
    before = keys(ok)
    import clientcard.services.clients as clients

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(clients, "_search_key", broken)
    result = cli("config", "set", "--book", "phone.region", "HK")
    assert result.exit_code == 70
    assert keys(ok) == before
    assert not (tmp_path / "config.toml").exists()


def test_add_edit_lookup_and_search_read_numbers_in_the_region(ok, book: str) -> None:
    ok("config", "set", "--book", "phone.region", "US")
    add(ok, "Ann", "--phone", "(650) 253-0000")
    assert keys(ok)["cards"][0][1] == "16502530000"
    assert json.loads(ok("show", "1-650-253-0000", "-f", "json").stdout)["name"] == "Ann"
    found = json.loads(ok("list", "--search", "+1 650 253 0000", "-f", "json").stdout)
    assert [c["name"] for c in found] == ["Ann"]
    ok("edit", "Ann", "--add-phone", "work:415 555 0100")
    ok("edit", "Ann", "--remove-phone", "+1 (650) 253-0000")  # matched by key
    assert keys(ok)["reach"] == [(1, "415 555 0100", "14155550100")]


def test_import_reads_numbers_in_the_region(ok, tmp_path: Path) -> None:
    ok("config", "set", "--book", "phone.region", "TW")
    path = write(tmp_path, "name,phone\n王小明,02 2345 6789\n")
    ok("import", path)
    assert keys(ok)["reach"] == [(1, "02 2345 6789", "886223456789")]
    assert json.loads(ok("show", "+886 2 2345 6789", "-f", "json").stdout)["name"] == "王小明"


def test_import_finds_duplicates_by_keys_read_in_the_region(ok, book: str, tmp_path: Path) -> None:
    """The import's duplicate check compares keys read in phone.region, as `add` stores them:
    in Hong Kong `+852 9123 4567` and `9123-4567` are one number."""
    ok("config", "set", "--book", "phone.region", "HK")
    add(ok, "Chan Tai Man", "--phone", "+852 9123 4567")
    path = write(tmp_path, "name,phone\n陈大文,9123-4567\n李娜,2812 3456\n")
    assert ok("import", path).stdout.startswith(
        "line 2: 陈大文 is already #1 Chan Tai Man, same phone 9123-4567: skipped\n"
    )
    assert keys(ok)["reach"] == [
        (1, "+852 9123 4567", "85291234567"),
        (2, "2812 3456", "85228123456"),
    ]

"""The message catalogs (issue 18; docs/i18n.md): every message the source shows is in the
Chinese catalog, translated and not fuzzy; the shipped .mo is the .po compiled; a translation
keeps its message's placeholders; tools/catalog.py merges the helpers' parts as it says."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/clientcard/locale/zh_CN/LC_MESSAGES/clientcard.po"
MO = PO.with_suffix(".mo")
FIX = "run `.venv/bin/python tools/catalog.py extract`, `update` and `compile` (docs/i18n.md)"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("catalog_tool", ROOT / "tools/catalog.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalog_tool"] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return tool.extract()


@pytest.fixture(scope="module")
def chinese() -> Catalog:
    return tool.read(PO, "zh_CN")


Key = tuple[str | tuple[str, ...], str | None]  # (msgid, context)


def _not_ready(catalog: Catalog, ids: list[Key] | list[tuple[str, str | None]]) -> list[str]:
    """The (msgid, context) pairs missing from `catalog`, untranslated or fuzzy there, each with
    what is wrong."""
    wrong = []
    for msgid, context in ids:
        message = catalog.get(msgid, context)
        if message is None:
            wrong.append(f"missing: {msgid!r}")
        elif message.fuzzy:
            wrong.append(f"fuzzy: {msgid!r}")
        elif not tool._translated(message):
            wrong.append(f"untranslated: {msgid!r}")
    return wrong


def test_every_message_of_the_source_is_translated(extracted: Catalog, chinese: Catalog) -> None:
    """Every message marked in the source and every help text: in the catalog, translated,
    not fuzzy. (A branch that adds messages fails here until its translations are merged.)"""
    wrong = _not_ready(chinese, [(m.id, m.context) for m in extracted if m.id])
    assert wrong == [], f"{len(wrong)} message(s); {FIX}:\n" + "\n".join(wrong[:40])


def test_every_help_text_is_translated(chinese: Catalog) -> None:
    """The help texts alone (command, group, option and argument help, the root's index):
    the part of the catalog that i18n-parts/core.po fills."""
    ids = sorted({p for p, _f, _w in tool.help_messages()})
    assert len(ids) > 250
    wrong = _not_ready(chinese, [(p, None) for p in ids])
    assert wrong == [], f"{len(wrong)} help text(s); {FIX}:\n" + "\n".join(wrong[:40])


def test_the_template_is_what_the_source_says(extracted: Catalog) -> None:
    written = tool.read(tool.POT)
    assert {(m.id, m.context) for m in written if m.id} == {
        (m.id, m.context) for m in extracted if m.id
    }, FIX


def test_the_shipped_mo_is_the_po_compiled() -> None:
    assert MO.read_bytes() == tool.compile_mo(PO, "zh_CN"), FIX


def test_every_translation_keeps_its_placeholders(chinese: Catalog) -> None:
    broken = [p for p in tool.problems(chinese) if p.startswith("placeholders differ")]
    assert broken == []


# The brief's glossary (docs/i18n.md): words a translation must not use, with the term to use.
NOT_THE_GLOSSARY = {
    "承诺": "约定 (promise)",
    "跟进": "回访 (follow-up)",
    "潜在客户": "准客户 (prospect)",
    "意向客户": "准客户 (prospect)",
    "客户档案": "客户卡 (card)",
    "您": "no pronoun, or 你 sparingly",
    "数据簿": "客户簿 (book)",
    "公共池": "公海 (pool)",
}


def test_every_translation_uses_the_glossary(chinese: Catalog) -> None:
    """One word for one thing across every helper's part: the card method's terms."""
    found = [
        f"{word!r} (use {instead}) in: {message.string!r}"
        for message in chinese
        if message.id and isinstance(message.string, str)
        for word, instead in NOT_THE_GLOSSARY.items()
        if word in message.string
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("{name} owes {amount}", ["{amount}", "{name}"]),
        ("%s of %(count)d, 100%%", ["%(count)d", "%s"]),
        ("[default: {}]", ["{}"]),
        ("none", []),
    ],
)
def test_the_placeholder_check_sees_both_forms(text: str, found: list[str]) -> None:
    assert tool.placeholders(text) == found


def test_the_check_names_what_is_wrong() -> None:
    catalog = tool._catalog("zh_CN")
    catalog.add("Hello {name}", "你好")
    catalog.add("Bye", "")
    catalog.add("Fuzzy", "模糊", flags=("fuzzy",))
    found = tool.problems(catalog)
    assert "placeholders differ: 'Hello {name}' -> '你好'" in found
    assert "untranslated: 'Bye'" in found
    assert "fuzzy: 'Fuzzy'" in found


def _write(path: Path, pairs: dict[str, str], locale: str | None = "zh_CN") -> None:
    catalog = tool._catalog(locale)
    for msgid, msgstr in pairs.items():
        catalog.add(msgid, msgstr)
    tool.write(catalog, path)


def test_update_keeps_translations_fills_from_parts_and_drops_the_obsolete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pot, parts, po_dir = tmp_path / "x.pot", tmp_path / "parts", tmp_path / "zh"
    parts.mkdir()
    _write(pot, {"Kept": "", "From a part": "", "Nobody's": ""}, locale=None)
    _write(po_dir / "clientcard.po", {"Kept": "保留", "Gone": "已删"})
    _write(parts / "a.po", {"From a part": "来自部分", "Kept": "别的"})
    _write(parts / "b.po", {"From a part": "后到的"})
    monkeypatch.setattr(tool, "POT", pot)
    monkeypatch.setattr(tool, "PARTS", parts)
    monkeypatch.setattr(tool, "LANGUAGES", {"zh_CN": po_dir})
    tool.update()
    merged = tool.read(po_dir / "clientcard.po", "zh_CN")
    assert {m.id: m.string for m in merged if m.id} == {
        "Kept": "保留",  # an existing translation stays
        "From a part": "来自部分",  # the first part (by file name) wins
        "Nobody's": "",
    }
    assert tool.problems(merged) == ['untranslated: "Nobody\'s"']


def test_update_parts_win_replaces_a_corrected_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pot, parts, po_dir = tmp_path / "x.pot", tmp_path / "parts", tmp_path / "zh"
    parts.mkdir()
    _write(pot, {"Kept": ""}, locale=None)
    _write(po_dir / "clientcard.po", {"Kept": "旧的"})
    _write(parts / "a.po", {"Kept": "改好的"})
    monkeypatch.setattr(tool, "POT", pot)
    monkeypatch.setattr(tool, "PARTS", parts)
    monkeypatch.setattr(tool, "LANGUAGES", {"zh_CN": po_dir})
    tool.update()
    assert tool.read(po_dir / "clientcard.po").get("Kept").string == "旧的"
    tool.update(parts_win=True)
    assert tool.read(po_dir / "clientcard.po").get("Kept").string == "改好的"


def test_every_header_of_every_listing_table_is_translated(chinese: Catalog) -> None:
    """Every header of a people's table that cli/ declares (`Table(view, [Column(key,
    "Header"), ...])`, made at import): in the catalog, translated. tools/catalog.py extracts
    them; a header it missed reads English in a Chinese table (`Every year`, `Lunar`)."""
    import importlib
    import pkgutil

    import clientcard.cli
    from clientcard.cli._common import Table
    from clientcard.output import Column

    headers: set[tuple[str, str | None]] = set()
    for info in pkgutil.iter_modules(clientcard.cli.__path__, "clientcard.cli."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            columns = value.columns if isinstance(value, Table) else [value]
            if isinstance(value, (list, tuple)):
                columns = value
            headers |= {
                (c.header, c.context) for c in columns if isinstance(c, Column) and c.header
            }
    assert {"Every year", "Lunar", "ID", "When"} <= {header for header, _ in headers}
    assert ("Value", "setting") in headers
    wrong = _not_ready(chinese, sorted(headers, key=lambda h: (h[0], h[1] or "")))
    assert wrong == [], f"{len(wrong)} header(s); {FIX}:\n" + "\n".join(wrong)

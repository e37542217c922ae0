# ruff: noqa: RUF001  (Chinese sentences use full-width punctuation)
"""The `language` setting (issue 18, docs/i18n.md): `config set language` confirms in the
language just chosen, and the settings file a command reads for its language is the one it
reads for its settings: read once a command."""

from pathlib import Path

import pytest

from clientcard import i18n
from clientcard.store import config_file
from helpers import Run, add

pytestmark = pytest.mark.usefixtures("migrated")


@pytest.fixture(autouse=True)
def _back_to_english() -> None:
    i18n.use(None)


@pytest.fixture
def settings_file(isolated: Path) -> Path:
    return isolated.parent / "config.toml"  # CLIENTCARD_CONFIG, set by conftest


def test_config_set_language_zh_confirms_in_chinese_from_an_english_locale(
    ok: Run, settings_file: Path
) -> None:
    out = ok("config", "set", "language", "zh", env={"LANG": "C"}).stdout
    assert out == f"language = zh（已保存到 {settings_file}）\n"


def test_config_set_language_en_confirms_in_english_from_chinese(
    ok: Run, settings_file: Path
) -> None:
    ok("config", "set", "language", "zh")
    out = ok("config", "set", "language", "en", env={"LANG": "zh_CN.UTF-8"}).stdout
    assert out == f"language = en (saved in {settings_file})\n"


def test_language_auto_and_unset_confirm_in_the_environments_language(
    ok: Run, settings_file: Path
) -> None:
    ok("config", "set", "language", "en")
    zh = {"LANG": "zh_CN.UTF-8"}
    assert ok("config", "set", "language", "auto", env=zh).stdout.startswith(
        "language = auto（已保存到"
    )
    ok("config", "set", "language", "zh")
    out = ok("config", "unset", "language", env={"LANG": "C"}).stdout
    assert out == f"language = auto (removed from {settings_file})\n"


def test_another_setting_confirms_in_the_language_in_force(ok: Run) -> None:
    ok("config", "set", "language", "zh")
    assert "（已保存到" in ok("config", "set", "date_order", "dmy", env={"LANG": "C"}).stdout


# ---- the file is read once a command ------------------------------------------------------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every read of a settings file, from now on."""
    seen: list[Path] = []
    read = config_file._read_file

    def counted(path: Path) -> dict[str, object]:
        seen.append(path)
        return read(path)

    monkeypatch.setattr(config_file, "_read_file", counted)
    return seen


def test_a_command_reads_the_settings_file_once(
    ok: Run, settings_file: Path, reads: list[Path]
) -> None:
    settings_file.write_text('language = "zh"\ndate_order = "dmy"\n', encoding="utf-8")
    add(ok, "张伟")
    reads.clear()
    out = ok("due", "--today").stdout
    assert out.startswith("今天没有到期事项。")  # the language, from the file
    assert reads == [settings_file]
    reads.clear()
    ok("log", "张伟", "谈了报价", "--at", "20/11/2026")  # dmy, from the same reading
    assert reads == [settings_file]


def test_each_command_reads_the_file_anew(ok: Run, settings_file: Path, reads: list[Path]) -> None:
    """Edited between two commands of one process (the same size, within the same clock
    tick): the second sees the edit."""
    settings_file.write_text('language = "zh"\n', encoding="utf-8")
    assert ok("due").stdout.startswith("今天没有到期事项")
    settings_file.write_text('language = "en"\n', encoding="utf-8")
    assert ok("due").stdout.startswith("Nothing due today")
    assert reads == [settings_file, settings_file]


def test_a_setting_changed_by_the_command_is_read_again(
    ok: Run, settings_file: Path, reads: list[Path]
) -> None:
    settings_file.write_text('date_order = "ymd"\n', encoding="utf-8")
    ok("config", "set", "date_order", "dmy")
    assert reads == [settings_file]  # for the language; `set` changed what it had read
    reads.clear()
    assert "dmy" in ok("config", "show").stdout
    assert reads == [settings_file]


def test_a_file_that_cannot_be_read_is_still_said_by_the_command(
    cli: Run, settings_file: Path
) -> None:
    settings_file.write_text("language = \n", encoding="utf-8")
    result = cli("due")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"clientcard: cannot read the settings file {settings_file}")

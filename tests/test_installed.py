"""A few runs of the installed `clientcard` console script, as a user's shell would run it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "clientcard"

pytestmark = pytest.mark.skipif(
    not SCRIPT.exists(), reason=f"clientcard is not installed next to {sys.executable}"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    full = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CLIENTCARD_") and not key.startswith("_CLIENTCARD")
    }
    full.update(
        CLIENTCARD_DB=str(tmp_path / "cards.db"),
        CLIENTCARD_CONFIG=str(tmp_path / "config.toml"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        CLIENTCARD_NOW="2026-11-20T09:00:00",
        TZ="Asia/Shanghai",
        PYTHONIOENCODING="utf-8",
        CLIENTCARD_USER="li",
    )
    return full


def run(env: dict[str, str], *args: str, program: list[str] | None = None):
    return subprocess.run(
        [*(program or [str(SCRIPT)]), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_add_and_list_as_json_round_trip_a_chinese_name(env: dict[str, str]) -> None:
    added = run(env, "add", "王小明", "--company", "上海贸易", "--tag", "VIP")
    assert (added.returncode, added.stdout, added.stderr) == (
        0,
        "Added #1 王小明 · 上海贸易 · grade F · tags vip\n",
        "",
    )
    listed = run(env, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["name"], r["company"], r["tags"]) for r in rows] == [
        (1, "王小明", "上海贸易", ["vip"])
    ]
    assert rows[0]["created_at"] == "2026-11-20T09:00:00+08:00"


def test_python_dash_m_clientcard_runs_the_same_command(env: dict[str, str]) -> None:
    result = run(env, "-m", "clientcard", "--help", program=[sys.executable])
    assert result.returncode == 0, result.stderr
    assert "Usage: clientcard" in result.stdout
    assert " grade " in result.stdout


def test_a_bad_grade_is_one_line_on_stderr_with_exit_2(env: dict[str, str]) -> None:
    result = run(env, "add", "Zhang", "--grade", "G")
    assert (result.returncode, result.stdout, result.stderr) == (
        2,
        "",
        "clientcard: unknown grade 'G'; a grade is one of A, B, C, D, E, F\n",
    )
    assert "Traceback" not in result.stderr


def test_delete_without_yes_never_prompts_when_stdin_is_not_a_terminal(
    env: dict[str, str],
) -> None:
    assert run(env, "add", "Zhang").returncode == 0
    result = run(env, "delete", "Zhang")
    assert (result.returncode, result.stdout) == (3, "")
    assert result.stderr.startswith("clientcard: deleting #1 Zhang removes the card")
    assert result.stderr.count("\n") == 1
    assert json.loads(run(env, "list", "-f", "json").stdout)[0]["name"] == "Zhang"
    assert run(env, "delete", "Zhang", "--yes").stdout == "Deleted #1 Zhang · grade F\n"

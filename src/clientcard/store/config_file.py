"""The settings file: TOML in the per-user config directory (CLIENTCARD_CONFIG overrides it).

The file holds only what the user changed; everything else is the default in domain/settings.py.
    date_order = "dmy"
    notice_hours = 24
    [cadence]
    A = 5
"""

import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clientcard.domain.errors import InvalidValue
from clientcard.i18n import _

if TYPE_CHECKING:
    from clientcard.domain.settings import Settings

CONFIG_VARIABLE = "CLIENTCARD_CONFIG"


def config_path() -> Path:
    override = os.environ.get(CONFIG_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("clientcard", appauthor=False) / "config.toml"


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, leaf = key.split(".")
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return nested


# The files read in this command, by path: what the file was (its stat) and what it held. A
# command reads its settings file once, though it asks for it twice or more: for the language,
# before anything is shown (cli/errors.py), then for its settings (services/effective.py).
_read: dict[Path, tuple[tuple[int, int, int, int], dict[str, Any]]] = {}


def forget() -> None:
    """A new command: its settings file is read anew (cli/errors.py CardGroup.main)."""
    _read.clear()


def read_raw(path: Path | None = None) -> dict[str, Any]:
    """The user's own settings, flat (`cadence.A`), as stored (a copy: the caller may change
    it). Read once per command: again only when the file changed since (another inode, size or
    time: `_write` replaces it), or after `forget()`."""
    path = path or config_path()
    try:
        found = path.stat()
    except FileNotFoundError:
        return {}
    except OSError:  # said by _read_file, naming the file
        return _read_file(path)
    stamp = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
    kept = _read.get(path)
    if kept is None or kept[0] != stamp:
        kept = (stamp, _read_file(path))
        _read[path] = kept
    return dict(kept[1])


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InvalidValue(
            _("cannot read the settings file {path}: {reason}").format(path=path, reason=exc)
        ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidValue(
            _(
                "cannot read the settings file {path}: line {line} is not UTF-8 text; "
                "save the file as UTF-8"
            ).format(path=path, line=line)
        ) from None
    try:
        return _flatten(tomllib.loads(text.removeprefix("\ufeff")))  # a BOM: Windows Notepad
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValue(
            _("cannot read the settings file {path}: {reason}").format(path=path, reason=exc)
        ) from None
    except ValueError:  # a number of more than 4,300 digits, which Python does not read
        raise InvalidValue(
            _("cannot read the settings file {path}: it holds a number too long to read").format(
                path=path
            )
        ) from None


def load_settings(path: Path | None = None, *, skip: frozenset[str] = frozenset()) -> "Settings":
    """The file's settings over the defaults; the keys in `skip` are left at their defaults
    (a team's book ignores the file's values of its keys: services/effective.py)."""
    from clientcard.domain.settings import from_flat

    path = path or config_path()
    raw = read_raw(path)  # its errors name the file already
    if skip:
        raw = {k: v for k, v in raw.items() if k not in skip}
    try:
        return from_flat(raw)
    except InvalidValue as exc:
        raise InvalidValue(f"{path}: {exc}") from None


def set_value(key: str, value: str, path: Path | None = None) -> Any:
    """Check and store one setting; returns the stored value. The file is replaced atomically."""
    from clientcard.domain.settings import check

    path = path or config_path()
    checked = check(key, value)
    stored = checked.value if hasattr(checked, "value") else checked
    flat = read_raw(path)
    flat[key] = stored
    _write(path, flat)
    return stored


def unset_value(key: str, path: Path | None = None) -> bool:
    """Take one setting out of the file (back to its default); whether it was there."""
    path = path or config_path()
    flat = read_raw(path)
    if key not in flat:
        return False
    del flat[key]
    _write(path, flat)
    return True


def _write(path: Path, flat: dict[str, Any]) -> None:
    """The file replaced atomically by these settings."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomli_w.dumps(_nest(flat)), encoding="utf-8")
    tmp.replace(path)
    _read.pop(path, None)

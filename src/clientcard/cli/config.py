"""`clientcard config show|set`: the settings file."""

from typing import TYPE_CHECKING, Annotated

import typer

from clientcard.cli._common import FormatOption, Listing, RawOption, Table, now, session
from clientcard.output import Column, Format, print_line

if TYPE_CHECKING:
    from clientcard.services.views.settings import SettingView

app = typer.Typer(name="config", help="Show or change settings.", no_args_is_help=True)

SETTINGS: "Table[SettingView]" = Table(
    "settings.SettingView",
    [
        Column("key", "Key", no_wrap=True),
        Column("value", "Value"),
        Column("default", "Default", spare=True),
        Column("meaning", "Meaning", detail=True),
    ],
)


@app.command("show")
def show(fmt: FormatOption = Format.table, raw: RawOption = False) -> None:
    """Every setting, its value, its default and what it means."""
    from clientcard.domain.settings import DESCRIPTIONS, Settings, to_flat
    from clientcard.services.views.settings import SettingView
    from clientcard.store.config_file import config_path, load_settings

    current, default = to_flat(load_settings()), to_flat(Settings())
    rows = [SettingView(k, v, default[k], DESCRIPTIONS[k]) for k, v in current.items()]
    Listing(fmt, raw=raw).write(rows, SETTINGS, footer=f"file: {config_path()}")


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(metavar="KEY", help="A key from `clientcard config show`.")],
    value: Annotated[
        str, typer.Argument(metavar="VALUE", help="The new value (checked before it is saved).")
    ],
) -> None:
    """Change one setting, e.g. `clientcard config set cadence.A 5`.

    A new cadence moves the next follow-up of the cards of that grade that follow the
    cadence. A new phone.region reads every card's phone numbers again in that region, so
    duplicates and lookups compare them with its country code."""
    from clientcard.services.settings import change_setting
    from clientcard.store.config_file import config_path

    with session(write=True) as s:
        changed = change_setting(s, key, value, now=now())
    moved = f"; {changed.rescheduled} card(s) rescheduled" if changed.rescheduled else ""
    if key == "phone.region":
        moved = f"; phone numbers re-keyed on {changed.rekeyed} card(s)"
    print_line(f"{key} = {changed.value} (saved in {config_path()}){moved}")

#!/bin/sh
# Write clientcard's agenda as an iCalendar file into a synced folder, for a phone's calendar to
# subscribe to (docs/calendar.md). Run it from cron, e.g. every 30 minutes from 7:00 to 21:00:
#
#   CLIENTCARD=/home/me/clientcard/.venv/bin/clientcard
#   TZ=Asia/Shanghai
#   */30 7-21 * * * $HOME/bin/agenda-to-calendar.sh "$HOME/Dropbox/calendar" >/dev/null
#
# Cron's PATH does not hold the virtual environment: CLIENTCARD names the installed script
# (default: `clientcard` on PATH). TZ is the zone whose days the all-day items fall on, and
# CLIENTCARD_DB the book, if not the default one.
#
# The calendar's reader must never see half a file: the new file is written beside the old one
# under a temporary name, in the same folder (so the rename cannot cross file systems), and
# renamed over it only when clientcard has finished without an error. A failure leaves the last
# good file in place and exits with clientcard's code (docs/exit-codes.md), which cron mails.
set -eu

folder=${1:?usage: agenda-to-calendar.sh FOLDER [NAME]}
name=${2:-clientcard}
target="$folder/agenda.ics"

tmp=$(mktemp "$folder/.agenda.ics.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# The next 90 days and everything overdue; `--todo` would make tasks of all but appointments.
"${CLIENTCARD:-clientcard}" export --format ics --name "$name" >"$tmp"
chmod 644 "$tmp"
mv -f "$tmp" "$target"
trap - EXIT

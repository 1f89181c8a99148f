#!/usr/bin/env bash
# The demo, in the current folder (start.sh runs it in the repository): seed an example region,
# place and invite its people the first time, then start the daemon with the demo key. Safe to
# repeat: a second run adds nothing, sends nothing again and undoes nothing you did; the demo
# school's feed address stays the same. DEMO_BIN names the binary (default: the debug build).
set -euo pipefail
bin="${DEMO_BIN:-.build/debug/overstap}"
demo="$("$bin" demo)"
echo "$demo"
echo
"$bin" session list
echo
if [[ "$demo" =~ \ [1-9][0-9]*\ sessions?[,\ ] ]]; then
    # The first run: place people, invite them and send the invitations. With the default file
    # transport each message is an .eml file in data/mail/ (open one in a mail client); --demo
    # signs their answer links with the demo key in data/, which serve --demo below accepts.
    "$bin" match --commit | tail -n 3
    "$bin" invite
    sent="$("$bin" outbox send --demo)"
    echo "$sent (this run's invitations, written to data/mail/)"
else
    echo "the demo was seeded before: nothing placed, invited or sent again"
fi
echo
echo "overstap is not on your PATH; for the README's walkthrough, in this folder run:"
echo "  export PATH=\"\$PWD/.build/debug:\$PATH\""
echo "Starting the daemon (feeds, answer pages, reminders, the outbox); Ctrl-C stops it."
exec "$bin" serve --demo

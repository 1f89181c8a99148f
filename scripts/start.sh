#!/usr/bin/env bash
# The first command: install what is missing, build, seed the demo region and show it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product overstap
bin=.build/debug/overstap
"$bin" demo
echo
"$bin" session list
echo
# Place people, invite them and send the invitations: with the default file transport each
# message lands as an .eml file in data/mail/ (open one in a mail client to see the invitation).
"$bin" match --commit | tail -n 3
"$bin" invite
"$bin" outbox send
echo "invitations written to data/mail/ ($(ls data/mail | wc -l) files)"
echo
# A fresh feed address for the demo school (only a hash of the token is stored, so it is new each time).
"$bin" partner rotate-token roc-midden-nederland
echo
echo "In another terminal try: $bin session show 1   |   $bin outbox list   |   $bin plan suggest --help"
echo "Starting the daemon (feeds and the outbox); Ctrl-C stops it."
exec "$bin" serve --demo

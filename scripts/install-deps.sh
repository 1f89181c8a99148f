#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Overstap. Safe to repeat.
set -euo pipefail

# dovecot-imapd and getmail6: the mailbox tests start their own Dovecot IMAP server on loopback
# and fetch from it with getmail (Tests/OverstapTestSupport/DovecotServer.swift, Getmail.swift).
# postfix: its postconf and postmap check the shipped Postfix example (installed unconfigured).
# postgresql (Debian's, 15) and postgresql-contrib: the PostgreSQL test pass runs its own throwaway
# cluster (scripts/postgres-test-cluster.sh); psql peeks into the tests' databases.
apt_packages=(libical-dev libsqlite3-dev sqlite3 tzdata unicode-cldr-core openssl python3-pip curl chromium chromium-driver
    dovecot-imapd getmail6 postfix postgresql postgresql-contrib)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix installed only for its tools: no mail system is configured or started.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Debian starts a package's service when it installs it: Dovecot's would listen on ports 143
    # and 993 of every address. A policy-rc.d that refuses keeps every service stopped during
    # the install (unless the machine has its own policy, which then decides).
    policy=/usr/sbin/policy-rc.d
    own_policy=false
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\n# Written by overstap scripts/install-deps.sh for the length of one install.\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own_policy=true
        trap 'rm -f "$policy"' EXIT
    fi
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
    if [[ "$own_policy" == true ]]; then
        rm -f "$policy"
        trap - EXIT
    fi
    # The tests run Dovecot from their own config; the system's service stays off, also after a reboot.
    if [[ " ${missing[*]} " == *" dovecot-imapd "* ]] && [[ -d /run/systemd/system ]]; then
        systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
    fi
    # The same for PostgreSQL: the tests start their own cluster; the system's cluster stays off.
    if [[ " ${missing[*]} " == *" postgresql "* ]] && [[ -d /run/systemd/system ]]; then
        systemctl disable --now postgresql.service >/dev/null 2>&1 || true
    fi
fi

# Independent peers for interoperability tests: iCalendar parsers, a real SMTP server and
# Selenium for the browser test (with Debian's chromium and chromedriver).
python_peers=("aiosmtpd==1.4.6" icalendar recurring-ical-events selenium)
if ! python3 -c "import aiosmtpd, icalendar, recurring_ical_events, selenium" 2>/dev/null; then
    # Debian's own Python refuses pip into the system (PEP 668); the test peers may go there anyway.
    python3 -m pip install -q "${python_peers[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${python_peers[@]}"
fi

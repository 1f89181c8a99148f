#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to build and test Overstap. Safe to repeat.
set -euo pipefail

apt_packages=(libical-dev libsqlite3-dev sqlite3 tzdata unicode-cldr-core openssl python3-pip curl chromium chromium-driver)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Independent peers for interoperability tests: iCalendar parsers, a real SMTP server and
# Selenium for the browser test (with Debian's chromium and chromedriver).
python_peers=("aiosmtpd==1.4.6" icalendar recurring-ical-events selenium)
if ! python3 -c "import aiosmtpd, icalendar, recurring_ical_events, selenium" 2>/dev/null; then
    # Debian's own Python refuses pip into the system (PEP 668); the test peers may go there anyway.
    python3 -m pip install -q "${python_peers[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${python_peers[@]}"
fi

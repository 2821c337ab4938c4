#!/usr/bin/env bash
# Installs what the email and app tests talk to: a real IMAP server (Debian's dovecot), MailDev (npm),
# and an Appium 3 server with its fake driver (npm, pinned by tools/appium/package-lock.json).
# Each is optional: the tests that need one are skipped, with the reason, when it is missing.
# Idempotent and quiet; it never fails the build.
set -uo pipefail
cd "$(dirname "$0")/.."

MAILDEV_VERSION="2.2.1"
SERVICES_DIR=".onevoice-services"  # git-ignored (.onevoice-*/)

install_dovecot() {
    if command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; then
        return 0
    fi
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "test-services: dovecot is missing (install dovecot-imapd); the IMAP tests will be skipped" >&2
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1
    if ! apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null 2>&1; then
        echo "test-services: could not install dovecot-imapd; the IMAP tests will be skipped" >&2
        return 0
    fi
    # The tests start their own dovecot on a loopback port; the system service is not needed.
    if command -v service >/dev/null 2>&1; then
        service dovecot stop >/dev/null 2>&1 || true
    fi
}

install_maildev() {
    local bin="$SERVICES_DIR/node_modules/maildev/bin/maildev"
    if [ -f "$bin" ] && grep -q "\"version\": \"$MAILDEV_VERSION\"" "$SERVICES_DIR/node_modules/maildev/package.json" 2>/dev/null; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "test-services: npm is missing (install Node.js); the MailDev tests will be skipped" >&2
        return 0
    fi
    mkdir -p "$SERVICES_DIR"
    if ! npm install --prefix "$SERVICES_DIR" --no-save --no-audit --no-fund --loglevel=error \
        "maildev@$MAILDEV_VERSION" >/dev/null 2>&1; then
        echo "test-services: could not install maildev@$MAILDEV_VERSION; the MailDev tests will be skipped" >&2
    fi
}

install_appium() {
    # Appium 3 needs Node 20.19+ (or 22.12+); tools/appium holds its pinned package.json, lock file and
    # the suite's screens plugin. Reinstalled only when the lock file changed.
    local dir="tools/appium" stamp="tools/appium/node_modules/.onevoice-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then
        return 0
    fi
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "test-services: Node.js is missing (install Node 20.19 or newer); the Appium tests will be skipped" >&2
        return 0
    fi
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'; then
        echo "test-services: Node $(node --version) is too old for Appium 3 (install Node 20.19+ or 22.12+, e.g. from nodejs.org); the Appium tests will be skipped" >&2
        return 0
    fi
    if ! npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null 2>&1; then
        echo "test-services: could not install Appium (npm ci in $dir); the Appium tests will be skipped" >&2
        return 0
    fi
    cp "$dir/package-lock.json" "$stamp"
}

install_dovecot
install_maildev
install_appium
exit 0

"""How the tests and the benchmark start Debian's Chromium (never a downloaded browser)."""

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium tries to reach Google at start,
# which a closed network refuses many times over.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

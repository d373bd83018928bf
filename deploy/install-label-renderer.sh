#!/usr/bin/env bash
# Install the offline ZPL renderer (zpl-renderer-js, pinned by tools/label-renderer/package-lock.json).
# Idempotent: does nothing when the pinned version is already installed.
set -euo pipefail
cd "$(dirname "$0")/../tools/label-renderer"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "install-label-renderer: node and npm are needed (Node 20 or newer)." >&2
    echo "  Debian/Ubuntu: apt-get install -y nodejs npm" >&2
    exit 1
fi
wanted=$(node -p 'require("./package.json").dependencies["zpl-renderer-js"]')
installed=$(node -p 'try { require("./node_modules/zpl-renderer-js/package.json").version } catch (e) { "" }')
if [ "$installed" = "$wanted" ]; then
    echo "label renderer: zpl-renderer-js $installed already installed"
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "label renderer: zpl-renderer-js $wanted installed in tools/label-renderer"

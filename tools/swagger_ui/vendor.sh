#!/usr/bin/env bash
# Vendors Swagger UI (npm package swagger-ui-dist, Apache-2.0) into dashboards/vendor/swagger-ui/,
# the files the API's interactive documentation (/api/v1/docs) loads: nothing is fetched from
# a CDN at run time. Run it again after changing VERSION and INTEGRITY (from
# `npm view swagger-ui-dist@<version> dist.integrity`), and SWAGGER_UI_VERSION in
# dashboards/api/viewer.py (a unit test compares them); then commit the files it wrote.
#   tools/swagger_ui/vendor.sh
set -euo pipefail

VERSION="5.35.0"
INTEGRITY="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
# What the page loads, then the licence and the notices the Apache licence asks to keep with it.
FILES=(
    swagger-ui-bundle.js
    swagger-ui-standalone-preset.js
    swagger-ui.css
    LICENSE
    NOTICE
    swagger-ui-bundle.js.LICENSE.txt
    swagger-ui-standalone-preset.js.LICENSE.txt
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/dashboards/vendor/swagger-ui"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
# `npm pack` downloads the published tarball only: no dependency, no install script runs.
tarball="$(npm pack --silent "swagger-ui-dist@$VERSION")"
actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");
process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
if [ "$actual" != "$INTEGRITY" ]; then
    echo "swagger-ui-dist@$VERSION: integrity $actual, expected $INTEGRITY" >&2
    exit 1
fi
tar -xzf "$tarball"

rm -rf "$target"
mkdir -p "$target"
for name in "${FILES[@]}"; do
    cp "package/$name" "$target/$name"
done
echo "swagger-ui-dist $VERSION -> ${target#"$root"/}:"
ls -l "$target"

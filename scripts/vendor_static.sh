#!/usr/bin/env bash
# Vendor the portal's front-end libraries from npm into static/vendor/.
# Run again to update; commit the result. Pages never load a CDN at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" >/dev/null && tar -xzf bootstrap-*.tgz)
dest=static/vendor/bootstrap
rm -rf "$dest"
mkdir -p "$dest/css" "$dest/js"
for f in bootstrap.min.css bootstrap.min.css.map bootstrap.rtl.min.css bootstrap.rtl.min.css.map; do
  cp "$tmp/package/dist/css/$f" "$dest/css/"
done
for f in bootstrap.bundle.min.js bootstrap.bundle.min.js.map; do
  cp "$tmp/package/dist/js/$f" "$dest/js/"
done
cp "$tmp/package/LICENSE" "$dest/LICENSE"
echo "$BOOTSTRAP_VERSION" > "$dest/VERSION"
echo "Vendored Bootstrap $BOOTSTRAP_VERSION into $dest"

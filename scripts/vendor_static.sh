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

# Cropper.js 1.x: the photo is previewed and cropped to the passport ratio in
# the browser before upload (the server re-encodes it anyway).
CROPPERJS_VERSION="${CROPPERJS_VERSION:-1.6.2}"
(cd "$tmp" && npm pack --silent "cropperjs@${CROPPERJS_VERSION}" >/dev/null && mkdir cropperjs && tar -xzf cropperjs-*.tgz -C cropperjs)
dest=static/vendor/cropperjs
rm -rf "$dest"
mkdir -p "$dest"
cp "$tmp/cropperjs/package/dist/cropper.min.js" "$tmp/cropperjs/package/dist/cropper.min.css" "$tmp/cropperjs/package/LICENSE" "$dest/"
echo "$CROPPERJS_VERSION" > "$dest/VERSION"
echo "Vendored Cropper.js $CROPPERJS_VERSION into $dest"

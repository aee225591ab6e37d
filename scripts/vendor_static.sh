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

# The gate scanner (static/checkin/): html5-qrcode reads QR codes with the
# phone's camera; @noble/ed25519 verifies badge signatures offline; idb keeps
# the offline queue in IndexedDB.
vendor_npm() {  # vendor_npm NAME VERSION DEST FILE...
  local name="$1" version="$2" dest="$3"; shift 3
  local dir="$tmp/$(echo "$name" | tr '/@' '__')"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "${name}@${version}" >/dev/null && tar -xzf ./*.tgz)
  rm -rf "$dest"
  mkdir -p "$dest"
  for f in "$@" LICENSE; do cp "$dir/package/$f" "$dest/"; done
  echo "$version" > "$dest/VERSION"
  echo "Vendored $name $version into $dest"
}
vendor_npm html5-qrcode "${HTML5_QRCODE_VERSION:-2.3.8}" static/vendor/html5-qrcode html5-qrcode.min.js
vendor_npm @noble/ed25519 "${NOBLE_ED25519_VERSION:-3.2.0}" static/vendor/noble-ed25519 index.js
vendor_npm idb "${IDB_VERSION:-8.0.4}" static/vendor/idb build/umd.js

# The accessibility tests (tests/accessibility/): axe-core checks each page
# against WCAG 2.1 A and AA. No page loads it; the tests inject it.
vendor_npm axe-core "${AXE_CORE_VERSION:-4.14.1}" static/vendor/axe-core axe.min.js LICENSE-3RD-PARTY.txt

# The organizers' dashboard (templates/admin/index.html): Chart.js.
CHARTJS_VERSION="${CHARTJS_VERSION:-4.5.1}"
mkdir -p "$tmp/chartjs"
(cd "$tmp/chartjs" && npm pack --silent "chart.js@${CHARTJS_VERSION}" >/dev/null && tar -xzf chart.js-*.tgz)
dest=static/vendor/chartjs
rm -rf "$dest"
mkdir -p "$dest"
cp "$tmp/chartjs/package/dist/chart.umd.min.js" "$tmp/chartjs/package/LICENSE.md" "$dest/"
echo "$CHARTJS_VERSION" > "$dest/VERSION"
echo "Vendored Chart.js $CHARTJS_VERSION into $dest"

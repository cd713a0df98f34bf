#!/usr/bin/env bash
# Copies the front-end files installed by `npm ci` into the static files WhiteNoise serves.
# A file that ends in a sourceMappingURL comment comes with the map it names: the manifest storage
# of `collectstatic` (production) follows that reference and aborts when the map is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src="$here/node_modules"
dst="$here/src/gongzhi/static/vendor"

copy() {  # copy FILE... DIR: each file, and the source map it names, into DIR
  local target="${*: -1}" file map
  for file in "${@:1:$#-1}"; do
    cp "$file" "$target/"
    map=$(grep -ao 'sourceMappingURL=[^ *]*' "$file" | tail -n1 | cut -d= -f2- || true)
    if [ -n "$map" ] && [[ "$map" != data:* ]]; then
      if [ ! -f "$(dirname "$file")/$map" ]; then
        echo "vendor_assets: $file names the missing source map $map" >&2
        exit 1
      fi
      cp "$(dirname "$file")/$map" "$target/"
    fi
  done
}

rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/bootstrap-icons/fonts" "$dst/htmx" "$dst/echarts"
copy "$src/bootstrap/dist/css/bootstrap.min.css" "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$dst/bootstrap"
copy "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$dst/bootstrap-icons"
cp "$src/bootstrap-icons/font/fonts/"*.woff* "$dst/bootstrap-icons/fonts/"
copy "$src/htmx.org/dist/htmx.min.js" "$dst/htmx"
copy "$src/echarts/dist/echarts.min.js" "$dst/echarts"

#!/usr/bin/env bash
# Copies the front-end files installed by `npm ci` into the static files WhiteNoise serves.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src="$here/node_modules"
dst="$here/src/gongzhi/static/vendor"
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/bootstrap-icons/fonts" "$dst/htmx" "$dst/echarts"
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$dst/bootstrap/"
cp "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$dst/bootstrap-icons/"
cp "$src/bootstrap-icons/font/fonts/"*.woff* "$dst/bootstrap-icons/fonts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"

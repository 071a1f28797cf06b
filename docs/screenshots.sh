#!/usr/bin/env bash
# The README's screenshots: serve an index (default: ./index, built from corpus/) and photograph each page with
# headless Chromium (Debian's chromium). Usage: docs/screenshots.sh [INDEX_DIR] [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX="${1:-index}" PORT="${2:-5077}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
.venv/bin/reports-web --index-dir "$INDEX" --port "$PORT" >/dev/null &
SERVER=$!
trap 'kill $SERVER' EXIT
until curl -sf "http://127.0.0.1:$PORT/" >/dev/null; do sleep 0.5; done
shot() {  # shot NAME HEIGHT PATH?QUERY
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --no-first-run --hide-scrollbars --user-data-dir="$(mktemp -d)" --window-size="1280,$2" \
    --screenshot="docs/$1.png" "http://127.0.0.1:$PORT$3" 2>/dev/null
}
shot home 900 "/"
shot search 1400 "/search?q=%E6%89%A7%E6%B3%95%E8%AE%B0%E5%BD%95%E4%BB%AA+OR+%E6%89%A7%E6%B3%95%E7%9B%91%E7%9D%A3&province=%E5%B9%BF%E4%B8%9C"
shot report 1100 "/report/000_27c9d69931be37ee.txt?q=%E6%89%A7%E6%B3%95%E7%9B%91%E7%9D%A3"
shot compare 1100 "/compare?ids=000_27c9d69931be37ee.txt&ids=003_00e392f12badf5f7.txt&kind=%E9%97%AE%E9%A2%98%E4%B8%8D%E8%B6%B3&q=%E6%89%A7%E6%B3%95"
shot matrix 700 "/matrix?q=%E6%89%A7%E6%B3%95%E7%9B%91%E7%9D%A3&rows=city"
shot trend 1000 "/trend?q=%E6%89%A7%E6%B3%95%E7%9B%91%E7%9D%A3"
shot explain 1100 "/explain?q=%E6%A8%99%E9%A1%8C%3A%E5%85%AC%E5%AE%89+%E5%90%8C%E5%8F%A5(%E5%9F%B7%E6%B3%95+%E8%A6%8F%E7%AF%84)"
shot compliance 900 "/compliance"

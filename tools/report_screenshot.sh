#!/bin/sh
# Headless-Chromium screenshot of a benchmark report, to check that the
# scorecard is readable at the width the issue asks for (1300 px).
#
#   tools/report_screenshot.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]
#
# e.g. after `hrclm benchmark benchmarks/small.toml -o /tmp/small`:
#   tools/report_screenshot.sh /tmp/small/report.html /tmp/small/report.png
# Needs chromium (Debian: apt-get install -y chromium). Look at the PNG.
set -eu
report=${1:?give the report.html of an hrclm benchmark}
out=${2:-${report%.html}.png}
width=${3:-1300}
height=${4:-1600}
[ -f "$report" ] || { echo "report_screenshot: $report does not exist; give the report.html of an hrclm benchmark" >&2; exit 2; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "report_screenshot: no chromium found; install it (apt-get install -y chromium)" >&2; exit 2; }
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$width,$height" --screenshot="$out" "file://$abs" >/dev/null 2>&1
echo "wrote $out ($width x $height px)"

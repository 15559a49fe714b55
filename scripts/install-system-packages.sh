#!/usr/bin/env bash
# Installs the Debian packages the test suite uses as real peers, when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v virtuoso-t >/dev/null || need+=(virtuoso-opensource)
[ -f /usr/share/java/jena-cmds.jar ] || need+=(libapache-jena-java)
command -v java >/dev/null || need+=(default-jre-headless)  # Jena's command-line tools run on it
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"

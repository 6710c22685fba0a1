#!/usr/bin/env bash
# Install the Debian packages Dermamap needs when they are missing.
#   runtime: Qt's shared libraries (a bare Debian lacks several of them) and python3-venv.
#   test:    also poppler-utils (PDF checks), Xvfb and the xcb libraries (real-desktop smoke test).
# As root it installs what is missing; otherwise it names what to install and exits non-zero.
set -euo pipefail
what=${1:-runtime}
pkgs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
if [ "$what" = test ]; then
  pkgs+=(poppler-utils xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
         libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 x11-utils
         xdotool)
fi
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: trust the system
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then missing+=(python3-venv); fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Please install these Debian packages first: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

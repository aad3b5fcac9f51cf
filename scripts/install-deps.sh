#!/bin/sh
# Install everything Rowan needs to build and to run its test suite on
# Debian 12 (bookworm). Needs root: run it as root, or as a user who has sudo.
set -eu

PACKAGES="
  build-essential autoconf automake autopoint gettext pkg-config dpkg-dev
  libncurses-dev libssl-dev libetpan-dev liblmdb-dev zlib1g-dev libcmocka-dev
  libsasl2-modules
  dovecot-imapd dovecot-pop3d python3 python3-aiosmtpd
  tmux openssl procps iproute2 locales ca-certificates file
"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "install-deps.sh: run this as root (apt-get needs it) or install sudo" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PACKAGES

#!/bin/sh
# Set up a fresh Debian 12 machine for Rowan and build it: install the
# packages (as root, or through sudo), then autoreconf, configure and make.
# Extra arguments go to ./configure, e.g. --enable-sanitizers.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
autoreconf -fi
./configure "$@"
make -j"$(nproc 2>/dev/null || echo 2)"

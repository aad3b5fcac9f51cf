#!/bin/sh
# The rowan binary must be a position-independent executable: Debian's
# libetpan.pc carries a flag that silently turns PIE off.
echo "1..1"
bin=${ROWAN_BIN:-./rowan}
type=$(od -An -t x1 -j 16 -N 1 "$bin" | tr -d ' ')
# e_type 03 = ET_DYN (PIE), 02 = ET_EXEC.
if [ "$type" = "03" ]; then
	echo "ok 1 - rowan is a PIE (ELF type ET_DYN)"
else
	echo "not ok 1 - rowan is not a PIE (ELF e_type $type)"
fi

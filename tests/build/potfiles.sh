#!/bin/sh
# po/POTFILES.in must list every source file with translatable strings,
# and only files that exist.
echo "1..2"
top=${ROWAN_SRCDIR:-.}
listed=$(grep -v '^#' "$top/po/POTFILES.in" | sed '/^[[:space:]]*$/d' | sort)
used=$(cd "$top" && grep -rlE '\b(N?_|ngettext)\("' src --include='*.c' | sort)
missing=$(printf '%s\n' "$used" | while read -r f; do
	printf '%s\n' "$listed" | grep -qx "$f" || echo "$f"
done)
if [ -z "$missing" ]; then
	echo "ok 1 - every file using _() is in po/POTFILES.in"
else
	echo "not ok 1 - files using _() missing from po/POTFILES.in"
	printf '%s\n' "$missing" | sed 's/^/# /'
fi
gone=$(printf '%s\n' "$listed" | while read -r f; do [ -f "$top/$f" ] || echo "$f"; done)
if [ -z "$gone" ]; then
	echo "ok 2 - every file in po/POTFILES.in exists"
else
	echo "not ok 2 - po/POTFILES.in lists missing files"
	printf '%s\n' "$gone" | sed 's/^/# /'
fi

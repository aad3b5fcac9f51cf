#!/bin/sh
# The layers of src/ may only use the layers below them, and only ui/
# may touch the terminal (curses).
echo "1..2"
src=${ROWAN_SRCDIR:-.}/src
# Lowest first; main.c sits above everything.
order="util config net mime mail store account send ui"

rank() {
	i=0
	for layer in $order; do
		[ "$layer" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/)' "$src" --include='*.c' --include='*.h' |
	grep -v "^$src/ui/" | grep -v "^$src/main.c$")
if [ -z "$bad" ]; then
	echo "ok 1 - curses is included only under src/ui/"
else
	echo "not ok 1 - curses is included outside src/ui/"
	echo "$bad" | sed 's/^/# /'
fi

violations=
for dir in "$src"/*/; do
	layer=$(basename "$dir")
	own=$(rank "$layer")
	[ "$own" -lt 0 ] && { violations="$violations
unknown layer $layer (add it to tests/build/layering.sh)"; continue; }
	for used in $(grep -rhoE '#[[:space:]]*include[[:space:]]*"[a-z]+/' "$dir" | sed -E 's/.*"([a-z]+)\//\1/' | sort -u); do
		r=$(rank "$used")
		if [ "$r" -gt "$own" ]; then
			violations="$violations
src/$layer includes from src/$used, a higher layer"
		fi
	done
done
if [ -z "$violations" ]; then
	echo "ok 2 - each layer includes only itself and lower layers ($order)"
else
	echo "not ok 2 - layering violations"
	echo "$violations" | sed '/^$/d; s/^/# /'
fi

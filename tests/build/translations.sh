#!/bin/sh
# Every translation compiles cleanly (msgfmt -c) and translates every
# message the sources use, so no user meets half a translation.
top=${ROWAN_SRCDIR:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
langs=$(sed 's/#.*//' "$top/po/LINGUAS")
n=0
for l in $langs; do n=$((n + 2)); done
echo "1..$n"
(cd "$top" && grep -v '^#' po/POTFILES.in | sed '/^[[:space:]]*$/d' > "$tmp/files")
(cd "$top" && xgettext --keyword=_ --keyword=N_ --from-code=UTF-8 -o "$tmp/rowan.pot" -f "$tmp/files" 2>"$tmp/xgettext.err")
i=0
for l in $langs; do
	i=$((i + 1))
	if msgfmt -c -o /dev/null "$top/po/$l.po" 2>"$tmp/err"; then
		echo "ok $i - po/$l.po compiles with msgfmt -c"
	else
		echo "not ok $i - po/$l.po does not compile"
		sed 's/^/# /' "$tmp/err"
	fi
	i=$((i + 1))
	if msgcmp "$top/po/$l.po" "$tmp/rowan.pot" 2>"$tmp/err" &&
	   ! msgattrib --only-fuzzy --no-obsolete "$top/po/$l.po" | grep -q '^msgid' &&
	   ! msgattrib --untranslated --no-obsolete "$top/po/$l.po" | grep -q '^msgid'; then
		echo "ok $i - po/$l.po translates every message in the sources"
	else
		echo "not ok $i - po/$l.po is out of date (run make update-po and translate)"
		sed 's/^/# /' "$tmp/err" | head -20
	fi
done

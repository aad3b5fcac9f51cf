#!/bin/sh
# The configuration options of the rowan command: --check-config,
# --dump-config, -F, and where the rc file is looked for.  Speaks TAP.
ROWAN=${ROWAN_BIN:-./rowan}
SRCDIR=${ROWAN_SRCDIR:-.}
EXAMPLE="$SRCDIR/tests/config/readme-example.rc"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rowan-cli-test-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/config" XDG_CACHE_HOME="$tmp/home/cache"
export LANG=C LC_ALL=C
unset VISUAL EDITOR
mkdir -p "$HOME"

n=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/# /'
	done
}
# check DESCRIPTION CONDITION...: ok when the shell condition holds.
check() {
	desc=$1
	shift
	if eval "$*"; then
		ok "$desc"
	else
		not_ok "$desc" "condition: $*" "status: $status" "stdout: $(cat "$tmp/out")" \
			"stderr: $(cat "$tmp/err")"
	fi
}
# run ARGS...: run rowan, keeping the status and output.
run() {
	"$ROWAN" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

echo "1..16"

# A good file: exit 0, "configuration OK", only warnings.
run --check-config -F "$EXAMPLE"
check "--check-config on the README example exits 0" '[ $status -eq 0 ]'
check "--check-config says the configuration is OK" \
	'grep -q "^rowan: .*readme-example.rc: configuration OK$" "$tmp/out"'
check "--check-config prints the two warnings of the example and no error" \
	'[ $(grep -c ": warning: " "$tmp/err") -eq 2 ] && ! grep -q ": error: " "$tmp/err"'

# A bad file: every error, with file:line:column, and exit 1.
cat >"$tmp/bad.rc" <<'RC'
sett editor = vim
set mail_check = 60
account home {
    type = pop3
    keep_on_server = maybe
}
RC
run --check-config -F "$tmp/bad.rc"
check "--check-config on a bad file exits 1" '[ $status -eq 1 ]'
check "errors are reported as file:line:column: error: message" \
	'grep -qx "$tmp/bad.rc:1:1: error: unknown command \"sett\"; did you mean \"set\"?" "$tmp/err" &&
	 grep -qx "$tmp/bad.rc:5:22: error: invalid value \"maybe\" for \"keep_on_server\": expected yes or no" "$tmp/err"'
check "all errors of the file are reported, then counted" \
	'[ $(grep -c ": error: " "$tmp/err") -eq 4 ] && grep -qx "rowan: $tmp/bad.rc: 4 errors" "$tmp/err"'

# -F with a missing file is an error.
run --check-config -F "$tmp/missing.rc"
check "-F with a missing file fails and says why" \
	'[ $status -eq 1 ] && grep -q "cannot read \"$tmp/missing.rc\": No such file or directory" "$tmp/err"'

# --dump-config: the effective configuration, nothing secret, re-readable.
printf 'hunter2-secret\n' >"$tmp/pass"
cat >"$tmp/good.rc" <<RC
set editor = "vim"
account a {
    type = imap
    host = imap.example.org
    password_command = "touch $tmp/ran; cat $tmp/pass"
}
alias bob Bob <bob@example.org>
RC
run --dump-config -F "$tmp/good.rc"
cp "$tmp/out" "$tmp/dump1.rc"
check "--dump-config exits 0 and prints variables and accounts in rc syntax" \
	'[ $status -eq 0 ] && grep -qx "set editor = \"vim\"" "$tmp/out" &&
	 grep -qx "set sort = date-received" "$tmp/out" && grep -qx "account a {" "$tmp/out" &&
	 grep -qx "alias bob Bob <bob@example.org>" "$tmp/out"'
check "--dump-config neither runs password_command nor prints the password" \
	'[ ! -e "$tmp/ran" ] && ! grep -q hunter2 "$tmp/out"'
run --dump-config -F "$tmp/dump1.rc"
check "the dump reads back to the same dump" \
	'[ $status -eq 0 ] && cmp -s "$tmp/dump1.rc" "$tmp/out"'
run --dump-config -F "$tmp/bad.rc"
check "--dump-config on a bad file prints the errors and exits 1" \
	'[ $status -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q ": error: " "$tmp/err"'

# Where the rc file is looked for.
run --check-config
check "without any rc file the defaults apply" \
	'[ $status -eq 0 ] && grep -q "does not exist; the defaults apply" "$tmp/out"'
echo 'set editor = "from-dot-rowanrc"' >"$HOME/.rowanrc"
run --dump-config
check "~/.rowanrc is read when \$XDG_CONFIG_HOME/rowan/rowanrc does not exist" \
	'[ $status -eq 0 ] && grep -qx "set editor = \"from-dot-rowanrc\"" "$tmp/out"'
mkdir -p "$XDG_CONFIG_HOME/rowan"
echo 'set editor = "from-xdg"' >"$XDG_CONFIG_HOME/rowan/rowanrc"
run --dump-config
check "\$XDG_CONFIG_HOME/rowan/rowanrc is preferred" \
	'[ $status -eq 0 ] && grep -qx "set editor = \"from-xdg\"" "$tmp/out"'

# A normal start loads the configuration too.
echo 'set mail_check = never' >"$XDG_CONFIG_HOME/rowan/rowanrc"
run
check "a normal start with errors in the rc file exits 1 with the errors" \
	'[ $status -eq 1 ] && grep -qx "$XDG_CONFIG_HOME/rowan/rowanrc:1:18: error: invalid value \"never\" for \"mail_check\": expected a whole number" "$tmp/err"'
run --check-config --bogus
check "an unknown option exits 2" '[ $status -eq 2 ]'

exit 0

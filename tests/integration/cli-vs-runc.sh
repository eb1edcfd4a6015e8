#!/bin/bash
# Measure which bundle and which container id a real runc takes from a
# command line, for the argv shapes whose expected results are written down
# in tests/unit/test-cli.c (the "measured" table).  Prints TAP.
#
# Nothing is created: the bundles hold a config.json, and --root points at a
# directory where runc cannot make the container's state directory, so runc
# stops with an error that names what it used:
#   phase 1, no rootfs in any bundle: "stat BUNDLE/rootfs" names the bundle;
#   phase 2, rootfs present:          "mkdir ROOT/ID" names the container id.
#
# Each case must also appear, with /b1 and /b2 for @B1 and @B2, in the table
# of test-cli.c, which holds policyrun to the same results.
#
# Usage: tests/integration/cli-vs-runc.sh [RUNC]   (default: runc in PATH)
# Needs root (runc refuses to create containers otherwise).
set -u

TABLE="$(cd "$(dirname "$0")/../unit" && pwd)/test-cli.c"

RUNC=${1:-${RUNC:-runc}}
if ! command -v "$RUNC" >/dev/null 2>&1; then
	echo "1..0 # SKIP no runc"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ROOT=/proc/self/fdinfo # exists, and no directory can be made in it
for b in cwd b1 b2; do
	mkdir -p "$T/$b"
	(cd "$T/$b" && "$RUNC" spec)
done

# Each case: EXPECTED<TAB>ARGS, where ARGS is split on spaces and @B1/@B2 name
# the two bundles.  EXPECTED is "bundle=@X id=ID", "help", or "refused".
# Cases where policyrun deliberately refuses what runc accepts are listed in
# test-cli.c, not here: this file records runc alone.
CASES=$(
	cat <<'EOF'
bundle=@B1 id=ID	create -b @B1 ID
bundle=@B1 id=ID	create --bundle @B1 ID
bundle=@B1 id=ID	create --bundle=@B1 ID
bundle=@B1 id=ID	create -bundle @B1 ID
bundle=@B1 id=ID	create -b=@B1 ID
bundle=@B2 id=ID	create ID --bundle @B2
bundle=@B2 id=ID	create ID -b @B2
bundle=@B2 id=ID	create --bundle @B1 ID --bundle @B2
bundle=@B2 id=ID	create -b @B1 -b @B2 ID
bundle=@B2 id=ID	create --bundle=@B1 --bundle @B2 ID
bundle=@B2 id=ID	create --bundle @B1 ID --bundle=@B2
refused	create -b @B1 --bundle @B2 ID
bundle=@CWD id=ID	create ID
bundle=@CWD id=ID	create --no-pivot ID
bundle=@CWD id=ID	create ID --no-pivot
bundle=@B2 id=ID	create ID --bundle @B2 --no-pivot
refused	create ID --no-pivot X
refused	create --no-pivot X --bundle @B1
bundle=@CWD id=X	create --no-pivot=true X
refused	create ID --pid-file --bundle @B1
bundle=@B1 id=ID	create --pid-file /p --bundle @B1 ID
bundle=@CWD id=ID	create -- ID
bundle=@CWD id=ID	create ID --
refused	create ID --bundle -- @B2
refused	create -b @B1 -- --bundle @B2 ID
bundle=@B2 id=ID	create --console-socket=/s ID -b @B2
help	create --bundle @B1 --help ID
help	create ID -h
bundle=@B1 id=ID	create --help=false -b @B1 ID
refused	create ID --frobnicate
refused	create --frobnicate ID
refused	create ID --bundle
refused	create --bundle @B1 ID --pid-file
refused	create ID -
bundle=@B1 id=a,b	create --bundle @B1 a,b
refused	create --bundle @B1 ..
refused	create ---bundle @B1 ID
refused	create --no-pivot=yes ID
refused	create --preserve-fds -b @B1 ID
bundle=@B1 id=ID	create --preserve-fds 0x0 -b @B1 ID
refused	run -d ID --bundle @B2
bundle=@B2 id=ID	run ID -d --bundle @B2
bundle=@B2 id=ID	restore ID -b @B2
bundle=@B1 id=ID	restore --bundle=@B1 ID
refused	restore --detach ID -b @B2
bundle=@B2 id=ID	run ID --detach=false -b @B2
bundle=@B1 id=ID	--debug create -b @B1 ID
bundle=@B1 id=ID	-- create -b @B1 ID
refused	--log-format bad create -b @B1 ID
refused	create -b @B1 ID ID2
refused	frobnicate ID
EOF
)

outcome() { # phase args...
	local out rc
	out=$(cd "$T/cwd" && "$RUNC" --root "$ROOT" "$@" 2>&1 </dev/null)
	rc=$?
	if [ $rc = 0 ] && grep -q '^USAGE:' <<<"$out"; then
		echo help
	elif grep -Eq 'Incorrect Usage|requires (exactly|a minimum)|invalid container ID|No help topic|invalid log-format|Cannot use two forms' <<<"$out"; then
		echo refused
	else
		sed -n -e 's|.*stat \(.*\)/rootfs: no such file or directory.*|bundle=\1|p' \
			-e 's|.*chdir \([^:]*\): no such file or directory.*|bundle=\1|p' \
			-e "s|.*mkdir $ROOT/\([^:]*\): .*|id=\1|p" <<<"$out" | head -1
	fi
}

n=0
fails=0
echo "# $("$RUNC" --version | head -1)"
while IFS=$'\t' read -r expected args; do
	[ -n "$expected" ] || continue
	words=()
	for w in $args; do
		w=${w//@B1/$T/b1}
		w=${w//@B2/$T/b2}
		words+=("$w")
	done
	rm -rf "$T"/*/rootfs "$T"/*/checkpoint
	first=$(outcome "${words[@]}")
	mkdir -p "$T/cwd/rootfs" "$T/b1/rootfs" "$T/b2/rootfs"
	second=$(outcome "${words[@]}")
	case "$first" in
	help | refused) got=$first ;;
	*) got="$first $second" ;;
	esac
	got=${got//$T\/b1/@B1}
	got=${got//$T\/b2/@B2}
	got=${got//$T\/cwd/@CWD}
	n=$((n + 1))
	line=${args//@B1/\/b1}
	line=${line//@B2/\/b2}
	if ! grep -qF "{ \"$line\"," "$TABLE"; then
		echo "not ok $n - runc $args: not in the table of $TABLE"
		fails=$((fails + 1))
	elif [ "$got" = "$expected" ]; then
		echo "ok $n - runc $args: $got"
	else
		echo "not ok $n - runc $args: got '$got', expected '$expected'"
		fails=$((fails + 1))
	fi
done <<<"$CASES"
echo "1..$n"
[ $fails = 0 ]

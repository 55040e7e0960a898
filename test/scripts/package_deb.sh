#!/usr/bin/env bash
# package_deb: the Debian source package in debian/ builds, the way Debian's
# own postgresql-15-* extension packages are built (dpkg-buildpackage -us -uc
# -b; debian/rules runs pg_buildext over debian/pgversions), into
# postgresql-15-licensing_<version>_<arch>.deb, and the package holds what an
# install and an upgrade need: the control file, the current install script
# (as make builds it from src/sql), the frozen install scripts of earlier
# versions, the upgrade scripts, and a licensing.so that exports every C
# symbol any of those scripts binds.
#
# The build runs in a copy of the work tree under /tmp (tracked and untracked
# files, not ignored ones), never in the work tree.  Needs debhelper,
# dpkg-dev and postgresql-server-dev-all (test/deps.sh); the build uses the
# system's PostgreSQL 15 headers (pg_buildext passes its pg_config), not
# $PG_CONFIG, and installs nothing anywhere.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }

current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" licensing.control)
arch=$(dpkg --print-architecture)
deb=postgresql-15-licensing_${current}_${arch}.deb

missing=()
for t in dpkg-buildpackage dh pg_buildext; do command -v $t >/dev/null || missing+=($t); done
if [ ${#missing[@]} -gt 0 ]; then
    echo "not ok 1 - build tools present (missing: ${missing[*]}; run test/deps.sh as root)"
    exit 1
fi

OUT=$(mktemp -d /tmp/licensing-deb.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$OUT"' EXIT
SRC=$OUT/licensing-$current
mkdir -p "$SRC"
git ls-files -co --exclude-standard -z | grep -zv '^build\.log$' | tar --null -T - -cf - | tar -xf - -C "$SRC"

start=$(date +%s)
( cd "$SRC" && DEB_BUILD_OPTIONS="nocheck noddebs parallel=$(nproc)" dpkg-buildpackage -us -uc -b ) >"$OUT/build.log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
check "dpkg-buildpackage -us -uc -b succeeds (${secs} s)" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || tail -30 "$OUT/build.log" | sed 's/^/# /'
check "it makes $deb" '[ -f "$OUT/$deb" ]'
check "the build went through pg_buildext for PostgreSQL 15" 'grep -q "^# 15: make install" "$OUT/build.log"'

dpkg -c "$OUT/$deb" 2>/dev/null | awk '{print $6}' | sed 's|^\./|/|' >"$OUT/files"
echo "# files of $deb:"
grep -v '/$' "$OUT/files" | grep -v '/bitcode/' | sed 's/^/#   /'
ext=/usr/share/postgresql/15/extension
has() { grep -qx "$1" "$OUT/files"; }
check "the package holds the control file" 'has $ext/licensing.control'
check "the package holds the install script of $current" 'has $ext/licensing--$current.sql'
for f in src/sql/versions/licensing--*.sql; do
    b=$(basename "$f")
    check "the package holds the frozen install script $b" 'has $ext/$b'
done
for u in $(sed -n 's/^UPGRADES *= *//p' Makefile); do
    check "the package holds the upgrade script licensing--$u.sql" 'has $ext/licensing--$u.sql'
done
check "the package holds licensing.so" 'has /usr/lib/postgresql/15/lib/licensing.so'

mkdir -p "$OUT/x"
dpkg-deb -x "$OUT/$deb" "$OUT/x" 2>/dev/null
check "its control file is this tree's (default_version $current)" 'cmp -s "$OUT/x$ext/licensing.control" licensing.control'
for f in src/sql/versions/licensing--*.sql; do
    check "its $(basename "$f") is the frozen file, byte for byte" 'cmp -s "$OUT/x$ext/$(basename "$f")" "$f"'
done
# the install script as make builds it in the work tree's copy
( cd "$SRC" && make -s PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config "licensing--$current.sql" ) >/dev/null 2>&1
check "its install script is the one make builds from src/sql" 'cmp -s "$OUT/x$ext/licensing--$current.sql" "$SRC/licensing--$current.sql"'
grep -ho "AS 'MODULE_PATHNAME', *'[a-z_0-9]*'" "$OUT/x$ext"/licensing--*.sql | sed "s/.*'\([a-z_0-9]*\)'$/\1/" | sort -u >"$OUT/needed"
nm -D --defined-only "$OUT/x/usr/lib/postgresql/15/lib/licensing.so" | awk '{print $3}' | sort -u >"$OUT/exported"
check "its licensing.so exports every C symbol the scripts bind ($(wc -l <"$OUT/needed"))" \
      '[ -s "$OUT/needed" ] && [ -z "$(comm -23 "$OUT/needed" "$OUT/exported")" ]'
comm -23 "$OUT/needed" "$OUT/exported" | head | sed 's/^/# missing: /'
dep=$(dpkg-deb -f "$OUT/$deb" Depends 2>/dev/null)
check "it depends on postgresql-15 ($dep)" '[[ "$dep" == *"postgresql-15"* ]]'
check "its version is the default_version" '[ "$(dpkg-deb -f "$OUT/$deb" Version)" = "$current" ]'

#!/usr/bin/env bash
# package_meta: META.json carries what the PGXN meta spec 1.0.0 requires
# (https://pgxn.org/spec/: name, abstract, version, maintainer, license,
# provides with file and version, meta-spec), and every version the packages
# name is licensing.control's default_version: META.json (as the SemVer PGXN
# requires, 1.1 -> 1.1.0), debian/changelog and a section of CHANGELOG.md.
set -uo pipefail
cd "$(dirname "$0")/../.."
n=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
m() { jq -r "$1" META.json 2>/dev/null; }

current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" licensing.control)
# PGXN versions are SemVer: pad the control file's major.minor with .0
semver=$current
[[ $semver =~ ^[0-9]+\.[0-9]+$ ]] && semver=$semver.0

check "META.json is JSON" 'jq -e . META.json >/dev/null'
for k in name abstract version maintainer license provides meta-spec; do
    check "META.json has the required key $k" '[ "$(m "has(\"$k\")")" = true ]'
done
check "name is the extension's name" '[ "$(m .name)" = licensing ]'
check "abstract is a non-empty string" '[ "$(m ".abstract | type")" = string ] && [ -n "$(m .abstract)" ]'
check "version is SemVer" '[[ "$(m .version)" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]'
check "version ($(m .version)) is licensing.control's default_version ($current as $semver)" '[ "$(m .version)" = "$semver" ]'
maint=$(m '(.maintainer | type) as $t | if $t == "string" then true elif $t == "array" then ((.maintainer | length) > 0 and (.maintainer | all(type == "string"))) else false end')
check "maintainer is a string or a non-empty array of strings" '[ "$maint" = true ]'
check "license is one the spec names" \
      '[[ "$(m ".license | if type == \"string\" then . else (keys | .[0]) end")" =~ ^(agpl_3|apache_1_1|apache_2_0|artistic_1|artistic_2|bsd|freebsd|gfdl_1_2|gfdl_1_3|gpl_1|gpl_2|gpl_3|lgpl_2_1|lgpl_3_0|mit|mozilla_1_0|mozilla_1_1|openssl|perl_5|postgresql|qpl_1_0|ssleay|sun|zlib|open_source|restricted|unrestricted|unknown)$ ]]'
check "provides names the extension licensing" '[ "$(m ".provides | has(\"licensing\")")" = true ]'
check "every provided extension has a file that exists and a version" \
      '[ "$(m "[.provides[] | has(\"file\") and has(\"version\")] | all")" = true ] && for f in $(m ".provides[].file"); do [ -f "$f" ] || exit 1; done'
check "provides.licensing.version is the default_version too" '[ "$(m .provides.licensing.version)" = "$semver" ]'
check "meta-spec version is 1.0.0" '[ "$(m ".\"meta-spec\".version")" = 1.0.0 ]'
deb=$(dpkg-parsechangelog -l debian/changelog -S Version 2>/dev/null || sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
check "debian/changelog's version ($deb) is the default_version" '[ "${deb%%-*}" = "$current" ]'
check "CHANGELOG.md has a section for $current" 'grep -qE "^## .*\b${current//./\\.}\b" CHANGELOG.md'
check "the Debian package is named for PostgreSQL 15 as debian/pgversions says" \
      'grep -qx 15 debian/pgversions && grep -q "^Package: postgresql-15-licensing$" debian/control'

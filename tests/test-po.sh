#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Translations stay complete:
#  - every file with a translatable string (_( N_( C_( NC_( g_dngettext …
#    in C, translatable="yes" in .ui, the desktop, metainfo and gschema
#    files) is listed in po/POTFILES.in, and every listed file exists;
#  - the template, regenerated from the sources with the glib preset's
#    keywords, merged into every language in po/LINGUAS, leaves no
#    untranslated or fuzzy message; the failure names the msgids;
#  - msgfmt --check compiles every catalogue;
#  - (TODO) no message is cut short by a G_G*_FORMAT macro.
# TAP output.

set -u
src="${FERRY_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$src" || exit 1
export LC_ALL=C.UTF-8

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}

for tool in xgettext msgmerge msgfmt msgattrib msggrep; do
  if ! command -v "$tool" >/dev/null; then
    echo "1..0 # SKIP $tool not found (Debian: apt-get install gettext)"
    exit 0
  fi
done

# The files listed in POTFILES.in (comments and blank lines dropped).
grep -v -e '^#' -e '^[[:space:]]*$' po/POTFILES.in | sed 's/[[:space:]]*$//' > "$tmp/potfiles"

# 1. Every listed file exists.
missing_files=$(while read -r f; do [ -f "$f" ] || echo "$f"; done < "$tmp/potfiles")
if [ -z "$missing_files" ]; then
  ok "every file in po/POTFILES.in exists"
else
  not_ok "po/POTFILES.in lists files that do not exist" "$missing_files"
fi

# 2. Every file with translatable strings is listed.
{
  grep -rlE '(\b(_|N_|C_|NC_|Q_)|\bg_dn?gettext|\bg_dcgettext|\bg_dpgettext2?)[[:space:]]*\(' \
    --include='*.c' --include='*.h' src
  grep -rl 'translatable="yes"' --include='*.ui' src
  ls data/*.desktop.in data/*.metainfo.xml.in 2>/dev/null
  grep -l '<summary\|<description' data/*.gschema.xml 2>/dev/null
} | sort -u > "$tmp/needed"
unlisted=$(sort -u "$tmp/potfiles" | comm -13 - "$tmp/needed")
if [ -z "$unlisted" ]; then
  ok "every file with translatable strings is in po/POTFILES.in"
else
  not_ok "files with translatable strings missing from po/POTFILES.in (add them, sorted)" "$unlisted"
fi

# 3. POTFILES.in is sorted.
if sort -c "$tmp/potfiles" 2>/dev/null; then
  ok "po/POTFILES.in is sorted"
else
  not_ok "po/POTFILES.in is not sorted" "$(diff <(cat "$tmp/potfiles") <(sort "$tmp/potfiles"))"
fi

# 4. The template, as meson's glib preset makes it.
existing="$tmp/existing"
while read -r f; do [ -f "$f" ] && echo "$f"; done < "$tmp/potfiles" > "$existing"
if xgettext --from-code=UTF-8 --add-comments \
     --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
     --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --package-name=ferry --msgid-bugs-address=https://github.com/ferrydb/ferry/issues \
     --files-from="$existing" --output="$tmp/ferry.pot" 2> "$tmp/xgettext.err"; then
  ok "xgettext extracts $(grep -c '^msgid "' "$tmp/ferry.pot") messages"
else
  not_ok "xgettext failed" "$(cat "$tmp/xgettext.err")"
fi

# 5. No message is cut short by a format macro: xgettext cannot expand
#    G_GINT64_FORMAT and the like, so _("… %" G_GINT64_FORMAT " …") is
#    extracted as "… %" and never translated at run time. <inttypes.h>'s
#    PRId64/PRIu64 work (gettext knows them). Reported as TODO until the
#    sources are fixed.
if [ -f "$tmp/ferry.pot" ]; then
  cut_short=$(msggrep -K -E -e '(^|[^%])(%%)*%$' "$tmp/ferry.pot" 2>/dev/null \
              | awk '/^#:/ { refs = refs " " substr($0, 4) } /^msgid / { if ($0 != "msgid \"\"") print $0 " ←" refs; refs = "" }')
  if [ -z "$cut_short" ]; then
    ok "no message is cut short by a G_G*_FORMAT macro"
  else
    n=$((n + 1))
    echo "not ok $n - messages cut short by G_GINT64_FORMAT & co. cannot be translated: use PRId64/PRIu64 from <inttypes.h> # TODO"
    printf '%s\n' "$cut_short" | sed 's/^/# /'
  fi
fi

# 6. Every language in LINGUAS: a complete, compiling catalogue.
languages=$(grep -v '^#' po/LINGUAS | tr -s ' \n' '\n' | grep -v '^$')
if [ -z "$languages" ]; then
  not_ok "po/LINGUAS lists no language"
fi
for lang in $languages; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    not_ok "$po exists"
    continue
  fi

  if stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) \
     && ! grep -qE 'fuzzy|untranslated' <<< "$stats"; then
    ok "$po compiles: $stats"
  else
    not_ok "$po: msgfmt --check" "$stats"
  fi

  if [ -f "$tmp/ferry.pot" ]; then
    msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/ferry.pot" 2> "$tmp/msgmerge.err"
    untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" 2>/dev/null | grep -E '^msgid ' | grep -v '^msgid ""$')
    fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" 2>/dev/null | grep -E '^msgid ' | grep -v '^msgid ""$')
    if [ -z "$untranslated" ] && [ -z "$fuzzy" ]; then
      ok "$po translates every message of the current sources"
    else
      not_ok "$po is behind the sources: regenerate (meson compile -C _build ferry-update-po) and translate these msgids" \
        ${untranslated:+"untranslated:"} ${untranslated:+"$untranslated"} \
        ${fuzzy:+"fuzzy:"} ${fuzzy:+"$fuzzy"}
    fi
    obsolete=$(msgattrib --only-obsolete --no-wrap "$tmp/$lang.po" 2>/dev/null | grep -c '^#~ msgid ' || true)
    [ "$obsolete" -gt 0 ] && echo "# note: $obsolete messages in $po are no longer in the sources"
  fi
done

echo "1..$n"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The man page: "cmake --install" puts it in share/man/man1, man renders it
# without a warning, and it documents exactly the commands and the long
# options that "is248 --help" lists (so that the two cannot drift apart), each
# command in SYNOPSIS and COMMANDS, each option in OPTIONS.
. "$(dirname "$0")/lib.sh"

command -v man >/dev/null || { echo "man is not installed (scripts/deps installs man-db)"; exit 77; }

build=$(dirname "$IS248")
cmake --install "$build" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1
eq "cmake --install exits 0" "$?" 0
page="$WORK/prefix/share/man/man1/is248.1"
ok "the man page is installed in share/man/man1" test -f "$page"
ok "... as docs/is248.1" cmp -s "$page" "$SRC/docs/is248.1"

MANWIDTH=80 man --warnings -l "$page" >"$WORK/man.txt" 2>"$WORK/man.err"
eq "man renders it (exit 0)" "$?" 0
eq "... without a warning" "$(cat "$WORK/man.err")" ""
# plain text: no overstriking, hyphens and minus signs as ASCII
text=$(col -b <"$WORK/man.txt" | sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g')
ok "... and it says something" test "$(wc -l <<<"$text")" -gt 100
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
    ok "section $section" grep -qx "$section" <<<"$text"
done

# section NAME: the rendered lines of that section
section() { awk -v s="$1" '$0 == s { on = 1; next } /^[A-Z]/ { on = 0 } on' <<<"$text"; }

run --help
help=$out
help_commands=$(awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
                     on && match($0, /^  [a-z]+ /) { print substr($0, 3, RLENGTH - 3) }' <<<"$help" | sort)
help_options=$(awk '/^Options:/ { on = 1; next } /^[A-Z]/ { on = 0 }
                    on && match($0, /^  (-[a-zA-Z], )?--[a-z][a-z-]*/) { s = substr($0, 1, RLENGTH); sub(/.*--/, "--", s); print s }' <<<"$help" | sort)
ok "--help lists commands ($(tr '\n' ' ' <<<"$help_commands"))" test "$(wc -l <<<"$help_commands")" -ge 7
ok "--help lists long options" test "$(wc -l <<<"$help_options")" -ge 15

# a command is a tag: its name alone on the line, or before its text, which
# begins with a capital (running text at that indent begins lowercase)
man_commands=$(section COMMANDS | grep -oE '^ {7}[a-z]+( +[A-Z]|$)' | awk '{ print $1 }' | sort)
eq "COMMANDS documents the commands of --help, and only those" "$man_commands" "$help_commands"
for cmd in $help_commands; do
    ok "SYNOPSIS shows is248 $cmd" grep -qE "^ +is248 $cmd( |$)" <<<"$(section SYNOPSIS)"
done

man_options=$(section OPTIONS | grep -oE '^ {7}(-[a-zA-Z], )?--[a-z][a-z-]*' | sed 's/.*--/--/' | sort)
eq "OPTIONS documents the long options of --help, and only those" "$man_options" "$help_options"

# every option a command's own help lists is in the man page too; a parse
# of --help that found nothing would pass that, so each command must show
# some (at least -q, -v and -h)
for cmd in $help_commands; do
    run "$cmd" --help
    opts=$(grep -oE '^  (-[a-zA-Z], )?--[a-z][a-z-]*' <<<"$out" | sed 's/.*--/--/')
    ok "is248 $cmd --help lists its options ($(tr '\n' ' ' <<<"$opts"))" test "$(grep -c . <<<"$opts")" -ge 3
    for o in $opts; do
        grep -qx -- "$o" <<<"$man_options" || { failed=$((failed + 1)); echo "FAIL: $o of 'is248 $cmd --help' is not in OPTIONS" >&2; }
    done
    # and its exit codes, each of them in EXIT STATUS
    cmd_codes=$(awk '/^Exit status:/ { on = 1; next } on && match($0, /^  [0-9]  /) { print substr($0, 3, 1) }' <<<"$out")
    ok "is248 $cmd --help lists its exit codes ($(tr '\n' ' ' <<<"$cmd_codes"))" test "$(grep -c . <<<"$cmd_codes")" -ge 2
    for code in $cmd_codes; do
        grep -qE "^ {7}$code( |$)" <<<"$(section "EXIT STATUS")" || { failed=$((failed + 1)); echo "FAIL: exit code $code of 'is248 $cmd --help' is not in EXIT STATUS" >&2; }
    done
done

# the exit codes of --help, each in EXIT STATUS in the same words (the
# words of cli/main.c's exit_words, which README.md and the operator guide
# repeat too: t_exit_codes.sh)
codes=$(awk '/^Exit status:/ { on = 1; next } on && match($0, /^  [0-9]  /) { print substr($0, 3, 1) }' <<<"$help")
eq "--help lists the exit codes 0 to 6" "$(tr -d '\n' <<<"$codes")" 0123456
exit_status=$(section "EXIT STATUS" | tr -s ' \t\n' ' ')
for code in $codes; do
    ok "EXIT STATUS explains $code" grep -qE "^ {7}$code( |$)" <<<"$(section "EXIT STATUS")"
    words=$(grep -E "^  $code  " <<<"$help" | sed -E 's/^  [0-9]  //')
    contains "EXIT STATUS gives $code the words of --help" "$exit_status" "$code $words"
done
finish

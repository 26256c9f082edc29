#!/usr/bin/env bash
# t_install.sh - `make install DESTDIR=... PREFIX=...`: the binary, the
# man page (which man -l renders, a section per command) and the bash
# completion land where the GNU conventions put them; uninstall removes
# them. Installs the build under test (TEST=1 or SAN=1, as RUNCARE is).
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$(dirname "$RUNCARE")" && pwd)
case $build in
*/build/asan) mode=SAN=1 ;;
*/build/test) mode=TEST=1 ;;
*) mode= ;;
esac
dest=$T/dest

last_cmd="make install DESTDIR=$dest PREFIX=/usr"
if make -s -C "$root" $mode install DESTDIR="$dest" PREFIX=/usr > "$T/out" 2> "$T/err"; then
    ok "make install DESTDIR PREFIX runs"
else
    not_ok "make install DESTDIR PREFIX runs"
fi
check "the binary is in PREFIX/bin" test -x "$dest/usr/bin/runcare"
check "it runs" "$dest/usr/bin/runcare" --version
check "the man page is in PREFIX/share/man/man1" test -f "$dest/usr/share/man/man1/runcare.1"
check "the completion is in PREFIX/share/bash-completion/completions" test -f "$dest/usr/share/bash-completion/completions/runcare"
if command -v man > /dev/null; then
    MANWIDTH=80 man -l "$dest/usr/share/man/man1/runcare.1" > "$T/man.txt" 2> "$T/man.err"
    check "man -l renders it without a warning" test ! -s "$T/man.err"
    check "with a section per command" bash -c "for c in import log edit rm undo history show load check; do grep -qE \"^   \$c( |\$)\" '$T/man.txt' || exit 1; done"
    check "and exit status, environment and files" bash -c "grep -q '^EXIT STATUS' '$T/man.txt' && grep -q '^ENVIRONMENT' '$T/man.txt' && grep -q '^FILES' '$T/man.txt'"
else
    skip "man -l renders it" "man(1) not installed"
fi
comp=$dest/usr/share/bash-completion/completions/runcare
check "the completion completes a command" bash -c ". '$comp'; COMP_WORDS=(runcare und); COMP_CWORD=1; _runcare; [ \"\${COMPREPLY[*]}\" = undo ]"
check "and a command's options" bash -c ". '$comp'; COMP_WORDS=(runcare import --res); COMP_CWORD=2; _runcare; [ \"\${COMPREPLY[*]}\" = --restore ]"
make -s -C "$root" $mode uninstall DESTDIR="$dest" PREFIX=/usr > /dev/null 2>&1
check "make uninstall removes them" bash -c "! ls '$dest/usr/bin/runcare' '$dest/usr/share/man/man1/runcare.1' '$comp' 2> /dev/null"
done_testing

#!/bin/sh
# deps.sh - make sure the Debian packages runcare builds against are present,
# then print the compiler and linker flags pkg-config gives for them.
#
# Called by the Makefile to (re)make build/config.mk. Installs what is missing
# with apt-get, as root or through sudo, and says so on stderr. Never asks a
# question (DEBIAN_FRONTEND=noninteractive), so it works in CI with no stdin.
#
# Usage: tools/deps.sh [--tools PKG...]   (extra packages by Debian name, e.g.
#        the fuzzing toolchain; only checked with dpkg, no flags printed)
set -eu

# pkg-config module -> Debian package
modules="sqlite3:libsqlite3-dev expat:libexpat1-dev jansson:libjansson-dev
libmicrohttpd:libmicrohttpd-dev zlib:zlib1g-dev libarchive:libarchive-dev
cmocka:libcmocka-dev libpq:libpq-dev"

apt_install() {
    sudo=
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "deps.sh: need root or sudo to install: $*" >&2; exit 3; }
        sudo="sudo -n"
    fi
    echo "deps.sh: installing missing Debian packages: $*" >&2
    if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "$@" </dev/null >&2; then
        echo "deps.sh: apt-get install failed; refreshing the package lists and trying again" >&2
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null >&2
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "$@" </dev/null >&2
    fi
}

if [ "${1:-}" = "--tools" ]; then
    shift
    missing=
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
    done
    [ -z "$missing" ] || apt_install $missing
    exit 0
fi

missing=
command -v pkg-config >/dev/null 2>&1 || missing="pkg-config"
for pair in $modules; do
    mod=${pair%%:*}
    pkg=${pair#*:}
    if ! command -v pkg-config >/dev/null 2>&1 ||
       ! pkg-config --exists "$mod" 2>/dev/null; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] || apt_install $missing

mods=
for pair in $modules; do mods="$mods ${pair%%:*}"; done
for mod in $mods; do
    pkg-config --exists "$mod" || {
        echo "deps.sh: pkg-config still cannot find '$mod' after installing" >&2
        exit 3; }
done
# libpq, libmicrohttpd and libarchive are loaded when first needed (dlopen,
# src/base/dl.h), not linked: runcare needs their sonames, from the .so
# the -dev package installs; tests and benchmarks that call them directly
# link them (DL_LIBS).
dlmods="libpq libmicrohttpd libarchive"
libmods=$(echo $mods | sed 's/ *cmocka//; s/ *libpq//; s/ *libmicrohttpd//; s/ *libarchive//')
soname() {
    so=$(pkg-config --variable=libdir "$1")/$2
    objdump -p "$so" 2>/dev/null | awk '$1 == "SONAME" { print $2 }'
}
so_pq=$(soname libpq libpq.so)
so_mhd=$(soname libmicrohttpd libmicrohttpd.so)
so_arch=$(soname libarchive libarchive.so)
if [ -z "$so_pq" ] || [ -z "$so_mhd" ] || [ -z "$so_arch" ]; then
    echo "deps.sh: cannot read the sonames of $dlmods (objdump -p, binutils)" >&2
    exit 3
fi
echo "# written by tools/deps.sh; delete to re-check the Debian packages"
echo "PKG_CFLAGS := $(pkg-config --cflags $mods)"
echo "PKG_LIBS := $(pkg-config --libs $libmods)"
echo "DL_LIBS := $(pkg-config --libs $dlmods)"
echo "DL_SONAMES := -DRC_SONAME_PQ='\"$so_pq\"' -DRC_SONAME_MHD='\"$so_mhd\"' -DRC_SONAME_ARCHIVE='\"$so_arch\"'"
echo "CMOCKA_LIBS := $(pkg-config --libs cmocka)"

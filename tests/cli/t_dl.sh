#!/usr/bin/env bash
# t_dl.sh - the libraries loaded when first needed (src/base/dl.h):
# runcare starts without libpq, libmicrohttpd and libarchive, and where
# one is not installed, what needs it fails cleanly, naming the Debian
# package to install, and the rest works (a test build's
# RUNCARE_DL_MISSING=SONAME pretends that library is not installed).
. "$(dirname "$0")/lib.sh"
soname() {
    objdump -p "$(pkg-config --variable=libdir "$1")/$2" | awk '$1 == "SONAME" { print $2 }'
}
so_pq=$(soname libpq libpq.so)
so_mhd=$(soname libmicrohttpd libmicrohttpd.so)
so_arch=$(soname libarchive libarchive.so)
check "the sonames are known" test -n "$so_pq" -a -n "$so_mhd" -a -n "$so_arch"

ldd "$RUNCARE" > "$T/ldd"
check "runcare is not linked with libpq, libmicrohttpd or libarchive" \
    bash -c "! grep -E 'lib(pq|microhttpd|archive)\\.so' '$T/ldd'"
LD_DEBUG=files "$RUNCARE" --version > /dev/null 2> "$T/ld"
check "--version loads none of them" \
    bash -c "grep -q 'file=libc.so' '$T/ld' && ! grep -E 'file=lib(pq|microhttpd|archive)\\.so' '$T/ld'"

db=$T/log.db
rc --db "$db" log --date 2024-06-01 --distance 5km --duration 30:00
expect_status "a SQLite log works without them" 0

RUNCARE_DL_MISSING=$so_pq rc --db "postgresql:///club?host=$T" list
expect_status "a PostgreSQL log without libpq exits 3" 3
expect_err "naming the package to install" "runcare: PostgreSQL logs: cannot load $so_pq (Debian package libpq5): not installed (RUNCARE_DL_MISSING)"

RUNCARE_DL_MISSING=$so_mhd rc --db "$db" serve --listen 127.0.0.1:0
expect_status "serve without libmicrohttpd exits 3" 3
expect_err "naming the package to install" "runcare: runcare serve: cannot load $so_mhd (Debian package libmicrohttpd12): not installed (RUNCARE_DL_MISSING)"

# a zip with a GPX run in it, next to the same run as a file
"$RUNCARE" --db "$T/demo.db" demo "$T/demo" > /dev/null 2>&1
mkdir -p "$T/in"
cp "$T/demo/phone-long-run.gpx" "$T/in/run.gpx"
python3 -c "import zipfile; z = zipfile.ZipFile('$T/in/export.zip', 'w'); z.write('$T/demo/phone-long-run.gpx', 'activities/run.gpx'); z.close()"
RUNCARE_DL_MISSING=$so_arch rc --db "$db" import "$T/in"
expect_status "an import with a zip but no libarchive exits 1" 1
check "the zip fails naming the package to install" \
    grep -qF "export.zip: zip archives (Strava and Garmin exports): cannot load $so_arch (Debian package libarchive13)" "$T/err"
rc --db "$db" list --json
check "the files beside it are imported, the log kept" \
    test "$(python3 -c "import json; print(len(json.load(open('$T/out'))))")" = 2
rc --db "$T/zip.db" import "$T/in/export.zip"
expect_status "with libarchive the zip imports" 0
done_testing

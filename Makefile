# runcare - plain GNU make.
#
#   make            build build/runcare (installs missing Debian packages)
#   make check      the release build (checked to hold no test hook), then
#                   unit tests, CLI tests, fuzz corpus replay on a test build,
#                   and all of it again under AddressSanitizer +
#                   UndefinedBehaviorSanitizer
#   make demo       the main job on a demo athlete
#   make install    build/runcare, its man page runcare(1) and its bash
#                   completion into PREFIX (default /usr/local; DESTDIR for
#                   staging); make uninstall removes them
#   make bench      benchmarks (bench/bench_*.sh), results in bench/RESULTS.md
#   make fuzz       libFuzzer on every fuzz/fuzz_*.c for FUZZ_SECONDS each
#   make vignettes  score the check on ../shared/domain/vignettes.jsonl and
#                   on our own cases (tests/vignettes/*.jsonl)
#   make CC=clang   the same with clang; SAN=1 builds the sanitized variant,
#                   TEST=1 the test build
#
# Layout: src/<module>/*.c -> build/librc.a; src/main.c + librc.a ->
# build/runcare. The test build lives in build/test/, the sanitized one in
# build/asan/, fuzzers in build/fuzz/.
#
# Test hooks exist only in test builds (TEST=1 and SAN=1 compile with
# -DRC_TEST, as SQLite keeps its own behind SQLITE_TEST): a fixed clock
# (RUNCARE_NOW, base/time.c), a SIGKILL at the Nth write of the store
# (RUNCARE_CRASH_AFTER, store/), the allocation fault injector and the
# portable SHA-256 switch (base/). `make`, `make demo`, `make bench` and
# an installed runcare have none of them.

.DEFAULT_GOAL := all
# V=1 shows the full commands
Q := $(if $(filter 1,$(V)),,@)
SHELL := /bin/bash

BUILD := build
ifeq ($(TEST),1)
BUILD := build/test
endif
ifeq ($(SAN),1)
BUILD := build/asan
endif
ifeq ($(FUZZ),1)
BUILD := build/fuzz
CC := clang
endif

CONFIG := build/config.mk
ifeq ($(filter clean,$(MAKECMDGOALS)),)
-include $(CONFIG)
endif
$(CONFIG): tools/deps.sh
	@mkdir -p $(dir $@)
	tools/deps.sh > $@.tmp && mv $@.tmp $@

WARN := -Wall -Wextra -Wstrict-prototypes -Wvla -Wwrite-strings -Wshadow \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
WERROR ?= -Werror
OPT ?= -O2 -g
TEST_BUILD := $(filter 1,$(TEST) $(SAN))
CPPFLAGS := -Isrc -Itests/unit -I$(BUILD)/gen -D_GNU_SOURCE \
	$(if $(TEST_BUILD),-DRC_TEST) $(DL_SONAMES)
CFLAGS_ALL = -std=c11 $(OPT) $(WARN) $(WERROR) -pthread -MMD -MP $(PKG_CFLAGS) \
	$(SANFLAGS) $(CFLAGS)
# libpq, libmicrohttpd and libarchive are not linked: loaded when first
# needed (src/base/dl.h); tests and benchmarks that call them link them
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread -ldl

ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow \
	-fno-sanitize-recover=all \
	-fno-omit-frame-pointer
OPT := -O1 -g
endif
ifeq ($(FUZZ),1)
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -DRC_FUZZING
OPT := -O1 -g
endif

LIB_SRC := $(sort $(filter-out src/main.c,$(wildcard src/*/*.c)))
EMBED_FILES := $(sort $(wildcard kb/*.jsonl kb/*.json web/*.html web/*.js web/*.css \
	src/store/migrations/*.sql))
GEN_SRC := $(BUILD)/gen/embedded_data.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:.c=.o)
LIB := $(BUILD)/librc.a
BIN := $(BUILD)/runcare
# made by runcare from its command table: one source for `runcare help`
MAN := $(BUILD)/runcare.1
COMPLETION := $(BUILD)/runcare.bash

TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_LIB_SRC := $(sort $(wildcard tests/unit/lib_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_LIB_OBJ := $(TEST_LIB_SRC:%.c=$(BUILD)/obj/%.o)

FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRC:fuzz/fuzz_%.c=%)
REPLAY_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)

BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# A disk slow to sync (bench_import.sh loads it into runcare with
# LD_PRELOAD): never sanitized, since it goes into a release binary.
BENCH_PRELOAD := $(BUILD)/bench/slow_sync.so

EMBED_TOOL := build/tools/embed

.PHONY: all tests check check-release demo bench fuzz clean vignettes \
	install uninstall installdirs

all: $(BIN) $(MAN) $(COMPLETION)

$(BUILD)/obj/%.o: %.c | $(CONFIG)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC      $<',:)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(EMBED_TOOL): tools/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -O2 -o $@ $<

# The list itself is a prerequisite, so removing or adding a file (not only
# editing one) regenerates the table.
EMBED_LIST := $(BUILD)/gen/embed.list
$(EMBED_LIST): FORCE
	@mkdir -p $(dir $@)
	@echo '$(EMBED_FILES)' | cmp -s - $@ || echo '$(EMBED_FILES)' > $@
.PHONY: FORCE
FORCE:

$(GEN_SRC): $(EMBED_TOOL) $(EMBED_FILES) $(EMBED_LIST)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  EMBED   $(words $(EMBED_FILES)) files',:)
	$(Q)$(EMBED_TOOL) $@ $(EMBED_FILES)

$(GEN_SRC:.c=.o): $(GEN_SRC) | $(CONFIG)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@$(if $(Q),echo '  AR      $@',:)
	$(Q)$(AR) rcs $@ $^

# runcare loads its built-in kb without the checks (src/triage/kb.c); they
# run here on the bytes embedded in librc, and no runcare is linked when
# they fail (tools/kbcheck.c).
KB_CHECK := $(BUILD)/tools/kbcheck
KB_CHECKED := $(BUILD)/gen/kb.checked
$(KB_CHECK): $(BUILD)/obj/tools/kbcheck.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)
$(KB_CHECKED): $(KB_CHECK)
	@$(if $(Q),echo '  KBCHECK $(words $(filter kb/%,$(EMBED_FILES))) files',:)
	$(Q)$(KB_CHECK) && touch $@

$(BIN): $(BUILD)/obj/src/main.o $(LIB) | $(KB_CHECKED)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_LIB_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(CMOCKA_LIBS) $(LDLIBS_ALL) $(DL_LIBS)

# Replay drivers: each fuzz target linked with a plain main() that feeds it
# every file of its corpus and of the crashes found so far (fuzz/replay.c).
$(BUILD)/fuzz/replay_%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $(filter %.o,$^) $(LIB) $(LDLIBS_ALL)

# The TCX fuzz target rewrites what it decodes with the TCX writer, which
# only tests use (tests/unit/lib_tcx_write.c); linked before librc.a.
$(BUILD)/fuzz/replay_tcx $(BUILD)/fuzzer_tcx: \
	$(BUILD)/obj/tests/unit/lib_tcx_write.o

$(BENCH_PRELOAD): bench/slow_sync.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) -std=c11 -O2 $(WARN) $(WERROR) -D_GNU_SOURCE -shared -fPIC \
		-o $@ $< -ldl

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) $(DL_LIBS)

# Tests need the hooks: `make tests` builds the test build.
ifeq ($(TEST_BUILD),)
tests:
	$(MAKE) TEST=1 tests
else
tests: $(BIN) $(TEST_BIN) $(REPLAY_BIN) $(BENCH_BIN) $(BENCH_PRELOAD)
	@tools/deps.sh --tools postgresql
endif

check:
	$(MAKE) check-release
	$(MAKE) TEST=1 tests
	$(MAKE) SAN=1 tests
	tests/run.sh build/test build/asan

# The release binary holds no test hook: not even the names of them.
HOOK_NAMES := RUNCARE_NOW RUNCARE_CRASH_AFTER rc_alloc_fail_after \
	rc_sha256_force_portable RUNCARE_DL_MISSING
check-release: $(BIN)
	$(Q)if grep -a -q $(HOOK_NAMES:%=-e %) $(BIN); then \
	    echo "$(BIN) holds test hooks: built with TEST=1?" >&2; exit 1; fi
	@echo '  CHECK   $(BIN): no test hooks'

$(MAN): $(BIN)
	$(Q)$(BIN) help --man > $@.tmp && mv $@.tmp $@
$(COMPLETION): $(BIN)
	$(Q)$(BIN) help --bash-completion > $@.tmp && mv $@.tmp $@

# The GNU conventions: prefix, DESTDIR, INSTALL_PROGRAM and INSTALL_DATA.
prefix ?= /usr/local
PREFIX ?= $(prefix)
exec_prefix ?= $(PREFIX)
bindir ?= $(exec_prefix)/bin
datarootdir ?= $(PREFIX)/share
mandir ?= $(datarootdir)/man
man1dir ?= $(mandir)/man1
bashcompdir ?= $(datarootdir)/bash-completion/completions
INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 755
INSTALL_DATA ?= $(INSTALL) -m 644

installdirs:
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) \
		$(DESTDIR)$(bashcompdir)

install: $(BIN) $(MAN) $(COMPLETION) installdirs
	$(INSTALL_PROGRAM) $(BIN) $(DESTDIR)$(bindir)/runcare
	$(INSTALL_DATA) $(MAN) $(DESTDIR)$(man1dir)/runcare.1
	$(INSTALL_DATA) $(COMPLETION) $(DESTDIR)$(bashcompdir)/runcare

uninstall:
	rm -f $(DESTDIR)$(bindir)/runcare $(DESTDIR)$(man1dir)/runcare.1 \
		$(DESTDIR)$(bashcompdir)/runcare

demo: $(BIN)
	rm -rf build/demo
	$(BIN) --db build/demo/runcare.db demo build/demo

bench: $(BIN) $(BENCH_BIN) $(BENCH_PRELOAD)
	bench/run.sh $(BUILD)

# The check's scores: triage accuracy per level, under/over-triage,
# must_flag recall, top-1/top-3 conditions, Semigran's 3 levels, each miss;
# the public cases, the first edition's own and blind cases, and the
# second edition's blind cases (blind_v2*), each group on its own.
SHARED ?= ../shared
vignettes: $(BIN)
	tools/deps.sh --tools python3
	$(if $(wildcard $(SHARED)/domain/vignettes.jsonl),python3 tests/vignettes/score.py $(BIN) $(SHARED)/domain/vignettes.jsonl)
	python3 tests/vignettes/score.py $(BIN) tests/vignettes/own.jsonl tests/vignettes/blind.jsonl
	python3 tests/vignettes/score.py $(BIN) $(sort $(wildcard tests/vignettes/blind_v2*.jsonl))

# libFuzzer needs clang and its runtime; they are installed on demand.
FUZZ_SECONDS ?= 60
fuzz:
	tools/deps.sh --tools clang libclang-rt-14-dev
	$(MAKE) FUZZ=1 fuzzers
	fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

FUZZER_BIN := $(FUZZ_NAMES:%=$(BUILD)/fuzzer_%)
.PHONY: fuzzers
fuzzers: $(FUZZER_BIN)
$(BUILD)/fuzzer_%: $(BUILD)/obj/fuzz/fuzz_%.o $(LIB)
	@$(if $(Q),echo '  LINK    $@',:)
	$(Q)$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $(filter %.o,$^) $(LIB) \
	    $(LDLIBS_ALL)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
.SECONDARY:

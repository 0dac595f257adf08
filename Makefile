# dicta — one non-recursive Makefile.
#
#   make            build libdicta (static and shared) and the programs
#   make demo       install missing packages, index corpus/, search it
#   make check      install missing packages, run the Criterion suite
#   make check SANITIZE=address,undefined    the same under ASan+UBSan
#   make eval       relevance on ../shared/corpora (AILA 2019, SciFact), dicta
#                   against plain Xapian BM25 (bench/eval.sh; skips without it)
#   make bench      speed next to plain Xapian, SQLite FTS5 and Lucene on
#                   ../shared/corpora (bench/bench.sh, docs/benchmarks.md; QUICK=1)
#   make bench-str  search term reports: 500 strings on the D.C. Code, one report
#                   against one search each (bench/str.sh; skips without it)
#   make install PREFIX=/usr/local DESTDIR=  install binaries, library, header, dicta.pc
#   make uninstall PREFIX=/usr/local DESTDIR=  remove what install installed
#
# Copyright (C) 2026 the dicta developers.  GPL-2.0-or-later.

SHELL    := /bin/bash
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
PKGDIR   ?= $(LIBDIR)/pkgconfig

VERSION  := 0.1.0
SOMAJOR  := 0

CC       ?= cc
CXX      ?= c++
PKGS     := xapian-core libutf8proc jansson zlib libmicrohttpd xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread
CRIT_CFLAGS := $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS   := $(shell pkg-config --libs criterion 2>/dev/null)

WARN     := -Wall -Wextra -Wpedantic
OPT      ?= -O2 -g
CFLAGS   ?=
CXXFLAGS ?=
LDFLAGS  ?=

# BUILDROOT lets two people build in one tree without sharing objects.
BUILDROOT ?= build
ifneq ($(SANITIZE),)
BUILD    := $(BUILDROOT)/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD    := $(BUILDROOT)
SANFLAGS :=
endif

ALL_CFLAGS   := -std=c11 -D_GNU_SOURCE $(WARN) -Werror=implicit-function-declaration $(OPT) -fPIC $(SANFLAGS) -Iinclude -Ilib $(PKG_CFLAGS) $(CFLAGS)
ALL_CXXFLAGS := -std=c++17 $(WARN) $(OPT) -fPIC $(SANFLAGS) -Iinclude -Ilib $(PKG_CFLAGS) $(CXXFLAGS)
ALL_LDFLAGS  := $(SANFLAGS) $(LDFLAGS)

LIB_C    := $(sort $(wildcard lib/*.c))
LIB_CXX  := lib/xapian_shim.cc
LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
STATIC   := $(BUILD)/libdicta.a
SHARED   := $(BUILD)/libdicta.so.$(VERSION)
BINS     := $(BUILD)/dicta-index $(BUILD)/dicta-search $(BUILD)/dicta-eval
TEST_SRC := $(sort $(wildcard tests/test_*.c)) tests/cli.c
TEST_BIN := $(BUILD)/tests/run-tests

.PHONY: all deps demo check clean install uninstall
all: $(STATIC) $(SHARED) $(BINS)

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c $(wildcard include/*.h lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc $(wildcard include/*.h lib/*.h)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The shared library exports the dicta_* API only (lib/libdicta.map), so
# the library's internal names cannot clash with a program's own.
$(SHARED): $(LIB_OBJ) lib/libdicta.map
	$(CXX) -shared -Wl,-soname,libdicta.so.$(SOMAJOR) -Wl,--version-script=lib/libdicta.map \
		$(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(PKG_LIBS)

$(BUILD)/dicta-index: $(BUILD)/indexer/main.o $(STATIC)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/dicta-search: $(BUILD)/searcher/main.o $(BUILD)/searcher/serve_cli.o $(BUILD)/searcher/batch_cli.o \
		$(BUILD)/searcher/terms_cli.o $(BUILD)/searcher/progress_bar.o $(STATIC)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/dicta-eval: $(BUILD)/searcher/eval_main.o $(STATIC)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(TEST_BIN): $(TEST_SRC:%.c=$(BUILD)/%.o) $(STATIC) | $(BINS)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^) $(CRIT_LIBS) $(PKG_LIBS)

$(BUILD)/tests/%.o: tests/%.c $(wildcard include/*.h lib/*.h tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CRIT_CFLAGS) -DDICTA_BUILD_DIR='"$(BUILD)"' \
		-DDICTA_BUILDROOT='"$(BUILDROOT)"' -DDICTA_SANITIZE='"$(SANITIZE)"' -c $< -o $@

# The demo: index the bundled corpus, then search it as a person would.
DEMO_INDEX := $(BUILD)/demo-index
demo: deps all
	@rm -rf $(DEMO_INDEX)
	$(BUILD)/dicta-index --index $(DEMO_INDEX) corpus
	$(BUILD)/dicta-search --index $(DEMO_INDEX) -k 5 extradition
	$(BUILD)/dicta-search --index $(DEMO_INDEX) -k 5 Pegasus

# Relevance on the real corpora, on their training judgments, next to a
# plain Xapian BM25 baseline computed in the same run (bench/eval.sh).
.PHONY: eval
eval: all
	@BUILD=$(BUILD) bench/eval.sh

# Speed next to plain Xapian, SQLite FTS5 and Lucene on the same machine and
# corpora (bench/bench.sh, docs/benchmarks.md).  RUNS=3, QUICK=1, CORPORA=.
.PHONY: bench
bench: all $(BUILD)/bench/querybench
	@BUILD=$(BUILD) BUILDROOT=$(BUILDROOT) bench/bench.sh

$(BUILD)/bench/querybench: $(BUILD)/bench/querybench.o $(STATIC)
	$(CXX) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Search term reports on the D.C. Code: 500 strings in one report against
# the same strings searched one by one (bench/str.sh; skips without it).
.PHONY: bench-str
bench-str: all
	@BUILD=$(BUILD) bench/str.sh

# Tests run from the project root; CLI tests find the binaries in $(BUILD).
# Under SANITIZE, a sanitizer report anywhere in the output (a leak found
# when a test process exits does not fail its test) fails the check.
SAN_ENV := ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
check: deps all $(TEST_BIN)
ifeq ($(SANITIZE),)
	$(TEST_BIN) --jobs 2
else
	@set -o pipefail; $(SAN_ENV) $(TEST_BIN) --jobs 2 2>&1 | tee $(BUILD)/tests/log
	@if grep -qE 'Sanitizer|runtime error' $(BUILD)/tests/log; then \
		echo "make check: sanitizer reports above" >&2; exit 1; fi
endif

# libFuzzer harnesses: every tests/fuzz/fuzz_*.c, built with clang against the
# library compiled for fuzzing (ASan + UBSan), each run FUZZ_SECONDS seconds
# on a corpus kept in $(FUZZ_DIR)/corpus/NAME (seeded from tests/fuzz/seeds/NAME),
# with the dictionary tests/fuzz/NAME.dict when there is one.
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 600
FUZZ_DIR     := $(BUILDROOT)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=c11 -D_GNU_SOURCE -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Iinclude -Ilib $(PKG_CFLAGS)
FUZZ_LIB_OBJ := $(LIB_C:%.c=$(FUZZ_DIR)/%.o) $(LIB_CXX:%.cc=$(FUZZ_DIR)/%.o)
FUZZ_BINS    := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/lib/%.o: lib/%.c $(wildcard include/*.h lib/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/lib/%.o: lib/%.cc $(wildcard include/*.h lib/*.h)
	@mkdir -p $(dir $@)
	clang++ -std=c++17 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Iinclude -Ilib $(PKG_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	clang $(FUZZ_CFLAGS) -c $< -o $@.o
	clang++ $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $@.o $(FUZZ_LIB_OBJ) $(PKG_LIBS)

.PHONY: fuzz fuzz-build
# Keep the fuzz objects (made through a chain of pattern rules) between runs.
.SECONDARY:
fuzz-build:
	@scripts/install-deps clang
	$(MAKE) $(FUZZ_BINS)

fuzz: fuzz-build
	@for f in $(FUZZ_BINS); do \
		name=$$(basename $$f); corpus=$(FUZZ_DIR)/corpus/$$name; mkdir -p $$corpus; \
		[ -d tests/fuzz/seeds/$$name ] && cp -n tests/fuzz/seeds/$$name/* $$corpus/ 2>/dev/null; \
		dict=; [ -f tests/fuzz/$$name.dict ] && dict=-dict=tests/fuzz/$$name.dict; \
		echo "== $$name for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/$$name- \
			$$dict $$corpus 2>&1 | grep -E '^(stat::number_of_executed_units|stat::peak_rss|==.*ERROR|SUMMARY)' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) $(DESTDIR)$(PKGDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	ln -sf libdicta.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdicta.so.$(SOMAJOR)
	ln -sf libdicta.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libdicta.so
	install -m 644 include/dicta.h $(DESTDIR)$(INCDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' \
		-e 's|@LIBS_PRIVATE@|$(strip $(PKG_LIBS)) -lstdc++|' \
		dicta.pc.in > $(DESTDIR)$(PKGDIR)/dicta.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dicta-index $(DESTDIR)$(BINDIR)/dicta-search $(DESTDIR)$(BINDIR)/dicta-eval
	rm -f $(DESTDIR)$(LIBDIR)/libdicta.a $(DESTDIR)$(LIBDIR)/libdicta.so*
	rm -f $(DESTDIR)$(INCDIR)/dicta.h $(DESTDIR)$(PKGDIR)/dicta.pc

clean:
	rm -rf $(BUILDROOT)

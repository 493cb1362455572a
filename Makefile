# skillhub build.
#   make               library, the skillhub program       -> build/
#   make test          every test: unit (cmocka) + integration (real binary, real data when ../shared exists)
#   make check-asan    the same tests built with AddressSanitizer + UndefinedBehaviorSanitizer -> build-asan/
#   make fuzz          libFuzzer targets (clang)           -> build-fuzz/
#   make fuzz-smoke    every fuzz target for FUZZ_SECONDS seconds
#   make V=1           show the compiler command lines
#   make bench         benchmarks (see bench/README.md); C programs in bench/*.c -> build/bench/
# Sources are found by wildcard: a new src/<concern>/<file>.c needs no edit here.

BUILD    ?= build
CC       ?= cc
PKGS     := sqlite3 jansson libutf8proc zlib libzstd libmicrohttpd libsodium libargon2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lstemmer -lcsv -lpthread -lm

OPT      ?= -O2 -g
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)
SAN      ?=
CFLAGS   += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -fno-strict-aliasing $(OPT) $(SAN) -Iinclude -Isrc $(PKG_CFLAGS) -MMD -MP
LDFLAGS  += $(SAN)

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BINS := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIB      := $(BUILD)/libskillhub.a
BIN      := $(BUILD)/skillhub

.PHONY: all test check-asan fuzz fuzz-smoke bench bench-programs clean
all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The OpenAPI document is embedded with .incbin (src/server/openapi.c): -MMD cannot see it.
$(BUILD)/obj/src/server/openapi.o: src/server/openapi.json

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/obj/tests/unit/testutil.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/obj/tests/unit/testutil.o $(LIB) $(PKG_LIBS) -lcmocka

test: $(BIN) $(TEST_BINS)
	BUILD=$(BUILD) tests/run.sh

check-asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT="-O1 -g" SAN="-fsanitize=fuzzer-no-link,address,undefined" build-fuzz/libskillhub.a
	@mkdir -p build-fuzz/fuzz
	for f in $(FUZZ_SRC); do \
	  clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc $(PKG_CFLAGS) \
	    $$f build-fuzz/libskillhub.a $(PKG_LIBS) -o build-fuzz/fuzz/$$(basename $$f .c) || exit 1; done

# Runs every fuzz target for FUZZ_SECONDS (default 10), starting from its seed
# corpus fuzz/corpus/<target>/ when there is one; new inputs go to a scratch copy.
FUZZ_SECONDS ?= 10
fuzz-smoke: fuzz
	@for f in build-fuzz/fuzz/fuzz_*; do \
	  name=$$(basename $$f); work=build-fuzz/corpus/$$name; mkdir -p $$work; \
	  if [ -d fuzz/corpus/$$name ]; then cp -r fuzz/corpus/$$name/. $$work/; fi; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$work 2>build-fuzz/$$name.log \
	    || { tail -n 40 build-fuzz/$$name.log; exit 1; }; \
	  grep -h "stat::number_of_executed_units" build-fuzz/$$name.log | sed "s/^/  /"; \
	done

$(BUILD)/bench/%: $(BUILD)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

bench-programs: $(BIN) $(BENCHES)

bench: bench-programs
	BUILD=$(BUILD) bench/run.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Keep object files of test and bench programs (make would delete them as intermediates).
.SECONDARY:

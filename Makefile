# SPDX-License-Identifier: EUPL-1.2
# The two commands of the README: `make demo` and `make check`. Everything else is a step of one
# of them. CMake does the building (CMakePresets.json); this file only sequences.

CLANG_FORMAT ?= clang-format-16
DEMO_DB ?= demo.db
LISTEN ?= 127.0.0.1:8080
C_SOURCES = $(shell find src tools tests/unit bench/ref bench/map -name '*.[ch]' 2>/dev/null)
# Debian 12's own Node.js (18) has no --test-concurrency; newer ones run test files in parallel.
NODE_TEST = node --test $(shell node --test-concurrency=1 -e 0 >/dev/null 2>&1 && echo --test-concurrency=1)

FUZZ_SECONDS ?= 60
FUZZERS = json_body instrument textpack config hsds map_query routing card transfer
# Seeds: committed corpora, plus the real definitions and fixtures for the instrument loader.
FUZZ_SEEDS = seeds=tests/fuzz/corpus/$$f; \
	[ $$f = instrument ] && seeds="$$seeds data/instruments tests/fixtures/instruments"; \
	[ $$f = textpack ] && seeds="$$seeds tests/fixtures/instruments";

.PHONY: all deps build demo check unit e2e api browser lint format release bench clean fuzz fuzz-build fuzz-smoke

all: build

deps:
	@./scripts/install-deps

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev

release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release

demo: build
	./build/dev/veerkracht serve --demo --db $(DEMO_DB) --listen $(LISTEN)

# Sanitised build, C unit tests, API and browser tests against the real binary, then lint.
check: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan
	cmake --build --preset asan --target vk_bench_map vk_bench_route # benches must keep compiling
	$(MAKE) --no-print-directory unit e2e fuzz-smoke lint

unit:
	ctest --preset asan

e2e: api browser

api:
	VEERKRACHT_BIN=build/asan/veerkracht $(NODE_TEST) tests/api/

browser:
	VEERKRACHT_BIN=build/asan/veerkracht $(NODE_TEST) tests/browser/

lint:
	$(CLANG_FORMAT) --dry-run -Werror $(C_SOURCES)
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
		--inline-suppr --suppress=missingIncludeSystem -I src -D__GNUC__ src/

fuzz-build:
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz

# Every fuzzer over its seeds and a short burst of new inputs: a regression check, not a hunt.
fuzz-smoke: fuzz-build
	@for f in $(FUZZERS); do \
		log=build/fuzz/smoke-$$f.log; scratch=build/fuzz/smoke-$$f; $(FUZZ_SEEDS) \
		rm -rf $$scratch; mkdir -p $$scratch; \
		./build/fuzz/fuzz_$$f -runs=3000 -max_len=65536 -timeout=10 $$scratch $$seeds \
			>$$log 2>&1 || { tail -40 $$log; echo "fuzz $$f: FAILED"; exit 1; }; \
		echo "fuzz $$f: $$(tail -1 $$log)"; \
	done

# A longer hunt: FUZZ_SECONDS per target (default 60), new inputs kept in build/fuzz/found-*.
fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		mkdir -p build/fuzz/found-$$f; $(FUZZ_SEEDS) \
		./build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
			build/fuzz/found-$$f $$seeds || exit 1; \
	done

format:
	$(CLANG_FORMAT) -i $(C_SOURCES)

bench:
	./bench/run

clean:
	rm -rf build

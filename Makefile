# Atelier: `make run` to try it, `make test` to check it. Both install what they need first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATELIER_TESTS=ON -DATELIER_BENCH=ON -DATELIER_WERROR=ON

.PHONY: all deps configure build test run bench format format-check clean web

all: build

deps:
	@scripts/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

format:
	@scripts/format.sh

format-check:
	@scripts/format.sh --check

# Every test, SQLite and PostgreSQL (a throwaway server started for the run). OMP_THREAD_LIMIT=1:
# the OCR pool runs one Tesseract engine per core, and OpenMP threads inside each only contend.
test: build format-check
	@OMP_THREAD_LIMIT=1 scripts/with-postgres ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 300
	@scripts/web-test.sh $(BUILD)

# The platform on the embedded default (SQLite under ./data), in the foreground.
run: configure
	@cmake --build $(BUILD) -j $(JOBS) --target atelier
	@scripts/run.sh $(BUILD)

# The web portal alone: npm install, type-check, build into web/dist.
web: deps
	@cd web && npm ci --no-audit --no-fund && npm run build

bench: build
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

# Set-up and entry points. Both targets install what is missing first, so they work on a new Debian
# machine that has only the Swift toolchain.

APT_PACKAGES := pkg-config libssl-dev libcurl4-openssl-dev libncurses-dev tmux python3 python3-pip openssl gzip wrk locales
PYTHON_MODULES := openapi_spec_validator joserfc
PYTHON_PACKAGES := openapi-spec-validator joserfc==1.6.5
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test swift-tests fuzz memory consumers deps python-deps build

# Every package trait (the Hummingbird and Vapor adapters, OpenAPI, the examples): the project's own builds
# and tests cover all of it. A package that depends on LayabAuth gets only the traits it enables.
TRAITS := --enable-all-traits

## Launch the layabauth demo (no network needed).
demo: deps
	swift build $(TRAITS) --product layabauth
	.build/debug/layabauth

## Run the whole test suite: the Swift tests, a bounded fuzzing run, the sanitizer runners and the
## package-shape check.
test: swift-tests fuzz memory consumers

## The Swift test suite alone (what to run while working).
swift-tests: deps python-deps
	swift build $(TRAITS) --build-tests
	swift test $(TRAITS) --skip-build

## libFuzzer over the token, JWK Set and Authorization header parsers, 10 s per target (docs/fuzzing.md).
fuzz: deps
	Tests/Fuzz/run.sh 10

## AddressSanitizer and LeakSanitizer over 200,000 verifications, ThreadSanitizer over the caches.
memory: deps
	Tests/Memory/run.sh 200000

## Consumer packages built from scratch: the verifier alone pulls in no framework, the Hummingbird adapter
## no Vapor (docs/architecture.md).
consumers: deps
	Tests/Consumers/check.sh

build: deps
	swift build $(TRAITS)

## Install the Python tools the tests run as independent judges, when missing.
python-deps: deps
	@python3 -c "import $(subst $(space),$(comma),$(PYTHON_MODULES))" 2>/dev/null || \
		python3 -m pip install --quiet $(PYTHON_PACKAGES) || \
		python3 -m pip install --quiet --break-system-packages $(PYTHON_PACKAGES)

comma := ,
space := $(empty) $(empty)

## Install the Debian packages the project builds and tests with, when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

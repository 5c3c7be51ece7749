# Set-up and entry points. Both targets install what is missing first, so they work on a new Debian
# machine that has only the Swift toolchain.

# What building needs (`make install`), then what the tests and demo add.
BUILD_APT_PACKAGES := pkg-config libssl-dev libcurl4-openssl-dev libncurses-dev
APT_PACKAGES := $(BUILD_APT_PACKAGES) tmux python3 python3-pip openssl gzip wrk locales
PYTHON_MODULES := openapi_spec_validator joserfc
PYTHON_PACKAGES := openapi-spec-validator joserfc==1.6.5
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# pipefail: a test run piped into its log keeps its exit status.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: demo test check swift-tests fuzz memory consumers deps build-deps python-deps idp postgres build install uninstall docs

# Every package trait (the Hummingbird and Vapor adapters, OpenAPI, the examples): the project's own builds
# and tests cover all of it. A package that depends on LayabAuth gets only the traits it enables.
TRAITS := --enable-all-traits

## Launch the layabauth demo (no network needed).
demo: deps
	swift build $(TRAITS) --product layabauth
	.build/debug/layabauth

## Run the whole test suite: the Swift tests, a bounded fuzzing run, the sanitizer runners, the
## package-shape check (Tests/Consumers/check.sh) and the documentation build (broken links fail it).
test: check fuzz memory consumers docs

## The Swift test suite alone, with every trait (what to run while working). `swift-tests` is its old name.
## Then every log line the suite produced (its own output, and the example apps' logs it keeps in
## TEST_LOGS) is scanned for tokens, credentials and private keys (Tests/LogHygiene/scan.py).
TEST_LOGS := .build/test-logs
check: deps python-deps idp postgres
	swift build $(TRAITS) --build-tests
	rm -rf $(TEST_LOGS) && mkdir -p $(TEST_LOGS)
	LAYABAUTH_TEST_LOG_DIR=$(abspath $(TEST_LOGS)) swift test $(TRAITS) --skip-build 2>&1 | tee $(TEST_LOGS)/swift-test.log
	python3 Tests/LogHygiene/scan.py --self-test
	python3 Tests/LogHygiene/scan.py $(TEST_LOGS)

swift-tests: check

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

## The DocC documentation (swift-docc-plugin, Sources/<Target>/<Target>.docc), one archive per target in
## .build/docs. Warnings are errors, so a broken symbol link fails the build; parameter lists are not required
## to be complete (the style guide documents a parameter where that adds information). The server
## integrations and the PostgreSQL replay store need their traits: with every trait this shares the build of `make check`.
##   make docs DOC_TARGETS="LayabAuth LayabAuthJWKS"    # some of them
DOC_TARGETS := LayabAuth LayabAuthJWKS LayabAuthTesting LayabAuthHummingbird LayabAuthVapor LayabAuthPostgres
DOCS := .build/docs

docs: build-deps
	swift package $(TRAITS) --allow-writing-to-directory $(DOCS) generate-documentation \
		$(addprefix --target ,$(DOC_TARGETS)) --warnings-as-errors --disable-parameters-and-returns-validation \
		--output-path $(DOCS)

## Install the `layabauth` tool alone: the release binary (with the `openapi` command), its themes where it
## looks for them (`<bin>/../share/layabauth/themes`) and its shell completions.
##   make install                          # into /usr/local (run as a user who may write there)
##   make install PREFIX=~/.local
##   make install DESTDIR=/tmp/stage       # staged, for a package
PREFIX := /usr/local
INSTALL_TRAITS := --traits OpenAPI
BINDIR = $(DESTDIR)$(PREFIX)/bin
THEMEDIR = $(DESTDIR)$(PREFIX)/share/layabauth/themes
BASH_COMPLETIONDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

install: build-deps
	swift build -c release $(INSTALL_TRAITS) --product layabauth
	install -d "$(BINDIR)" "$(THEMEDIR)" "$(BASH_COMPLETIONDIR)" "$(ZSH_COMPLETIONDIR)" "$(FISH_COMPLETIONDIR)"
	install -m 755 "$$(swift build -c release $(INSTALL_TRAITS) --show-bin-path)/layabauth" "$(BINDIR)/layabauth"
	install -m 644 themes/* "$(THEMEDIR)/"
	"$(BINDIR)/layabauth" --generate-completion-script bash > "$(BASH_COMPLETIONDIR)/layabauth"
	"$(BINDIR)/layabauth" --generate-completion-script zsh > "$(ZSH_COMPLETIONDIR)/_layabauth"
	"$(BINDIR)/layabauth" --generate-completion-script fish > "$(FISH_COMPLETIONDIR)/layabauth.fish"

## Remove what `make install` put there (same PREFIX and DESTDIR).
uninstall:
	rm -f "$(BINDIR)/layabauth" "$(BASH_COMPLETIONDIR)/layabauth" "$(ZSH_COMPLETIONDIR)/_layabauth" \
		"$(FISH_COMPLETIONDIR)/layabauth.fish"
	rm -rf "$(THEMEDIR)"
	-rmdir "$(DESTDIR)$(PREFIX)/share/layabauth" 2>/dev/null

## Install the Python tools the tests run as independent judges, when missing.
python-deps: deps
	@python3 -c "import $(subst $(space),$(comma),$(PYTHON_MODULES))" 2>/dev/null || \
		python3 -m pip install --quiet $(PYTHON_PACKAGES) || \
		python3 -m pip install --quiet --break-system-packages $(PYTHON_PACKAGES)

comma := ,
space := $(empty) $(empty)

## The identity provider the token-fetching tests run against: glewlwyd from apt (with rnbyc, sqlite3, curl),
## installed without leaving its packaged service running. Each test starts its own instance on 127.0.0.1
## (Tests/IdP/glewlwyd.sh start|env|stop); the tests skip, saying why, where it cannot be installed.
idp:
	@Tests/IdP/glewlwyd.sh install || echo "glewlwyd could not be installed: the glewlwyd tests will be skipped"

## The PostgreSQL the replay store's tests run against (trait Postgres): the Debian package, installed without
## leaving its packaged cluster running. Each test run starts its own server on 127.0.0.1
## (Tests/IdP/postgres.sh start|env|stop); the tests skip, saying why, where it cannot be installed (not under CI).
postgres:
	@Tests/IdP/postgres.sh install || echo "PostgreSQL could not be installed: the PostgreSQL replay store tests will be skipped"

## Install the Debian packages the project builds and tests with (deps) or only builds with (build-deps),
## when missing.
deps:
	@$(call apt-install,$(APT_PACKAGES))

build-deps:
	@$(call apt-install,$(BUILD_APT_PACKAGES))

apt-install = missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

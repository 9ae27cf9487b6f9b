# Browser test dependencies: headless Chromium from Debian's packages, used by
# the search web page test (pipeline/search, TestWebPage, driven by chromedp).
# Include from the Makefile ("include mk/browser.mk") and make "test" depend
# on browser-deps. Root is needed to install; a machine that already has
# chromium does nothing.
.PHONY: browser-deps

browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core; }

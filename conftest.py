"""This repository's own test suite. The onevoice pytest plugin (entry point pytest11) does the
work; fixture files under tests/data are inputs to tests, not tests, so they are not collected."""

collect_ignore_glob = ["tests/data/*"]

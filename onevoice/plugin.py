"""The pytest plugin (entry point pytest11): journeys as test items."""

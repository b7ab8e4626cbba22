"""Root conftest: the comprehend-contract pytest plugin is registered through its ``pytest11`` entry point, so
nothing is needed here for the contract suite. Self-tests get pytest's ``pytester`` for testing the plugin."""

pytest_plugins = ["pytester"]

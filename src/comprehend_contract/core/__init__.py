"""The run's core, free of any test framework: one ``RunContext`` and what every part of a run shares.

``context`` (the run: settings, run id, coordination directory, target, plan), ``coordination`` (the directory
every process of a run shares: job budget, facts, scenario results, observed statuses), ``plan`` (jobs and the
worst-case wait, computed once), ``exchange`` (one request and its response), ``checks`` (clause-attributed
checks and the registry of checks every response gets in passing) and ``refusals`` (requests that must be refused
for authentication). The pytest plugin adapts this core; nothing here imports pytest.

This ``__init__`` imports nothing, so that importing one module of the core does not import them all.
"""

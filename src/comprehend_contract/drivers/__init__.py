"""State drivers: bring jobs into every state through the public API only, once per run, and record evidence.

A *scenario* is a script over one job (start it, wait for a state, stop it, read its output...). Scenarios run
up front and concurrently, each exactly once per run even under pytest-xdist (``board``), and record every
exchange as JSON evidence (``core.evidence``) that any test, on any worker, can judge. Tests never drive jobs.
"""

from comprehend_contract.drivers.board import ScenarioBoard
from comprehend_contract.drivers.scenarios import MAX_ATTEMPTS, SCENARIOS, Driver, Scenario, StateNotReached

__all__ = ["MAX_ATTEMPTS", "SCENARIOS", "Driver", "Scenario", "ScenarioBoard", "StateNotReached"]

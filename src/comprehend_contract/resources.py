"""Where the kit's data directories (``schemas/``, ``contract_tests/``) are, installed or in a checkout.

A wheel carries them inside the package (``comprehend_contract/schemas``); a source checkout or an
editable install keeps them at the repository root, beside ``src/``. Both layouts resolve here, and
nowhere else, so no caller guesses paths.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


class KitDataMissing(RuntimeError):
    """The installation lacks one of the kit's data directories (a broken wheel or checkout)."""


def kit_dir(name: str) -> Path:
    """The directory ``name`` (``schemas`` or ``contract_tests``) of this installation."""
    candidates = (PACKAGE_DIR / name, PACKAGE_DIR.parent.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise KitDataMissing(f"comprehend-contract cannot find its {name}/ directory (looked in: {tried})")


def schemas_dir() -> Path:
    """The directory holding the kit's JSON Schemas."""
    return kit_dir("schemas")


def contract_tests_dir() -> Path:
    """The directory holding the contract test suite."""
    return kit_dir("contract_tests")

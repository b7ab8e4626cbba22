"""report.json: the report document itself, validated against ``schemas/report.json`` before it is written."""

from __future__ import annotations

import json
from typing import Any

from comprehend_contract.spec import validator_for


class InvalidReport(ValueError):
    """A bug in the kit: the report it built does not fit its own schema."""


def write(report: dict[str, Any]) -> str:
    errors = sorted(validator_for("report").iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = "/".join(map(str, errors[0].absolute_path)) or "(root)"
        raise InvalidReport(f"report.json does not fit schemas/report.json at {where}: {errors[0].message}")
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"

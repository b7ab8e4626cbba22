"""Parity: how a current snapshot differs from a recorded one, per test, per exchange, per field."""

from __future__ import annotations

import difflib
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from comprehend_contract.snapshots.model import Snapshot
from comprehend_contract.snapshots.normalize import KEPT_HEADERS, PLACEHOLDER

PARITY_FORMAT = "comprehend-contract-parity/1"


class _Absent:
    """A member, header or exchange that one side does not have."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
SHOWN = 160
"""Characters of a value a message shows."""
REQUEST_FIELDS = ("operation", "transport", "refusal", "request", "request_headers")
"""What the suite sent: the key exchanges are aligned on."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One way the current implementation answered differently from the recorded one.

    ``exchange`` is the exchange's index (0-based) in the recorded test, ``current_exchange`` in the current one;
    either is None where that side has no such exchange, both for a test-level difference. ``field`` is a dotted
    path: ``status``, ``error_code``, ``headers.content-type``, ``body.SentimentDetectionJobProperties.SubmitTime``,
    ``text``, ``request.JobId``, ``new_job_ids.<job-1>``; ``exchange`` for an exchange only one side made; ``test``
    for a test only one side ran.
    """

    test: str
    exchange: int | None
    field: str
    recorded: Any
    current: Any
    message: str
    current_exchange: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "exchange": self.exchange,
            "current_exchange": self.current_exchange,
            "field": self.field,
            "recorded": _plain(self.recorded),
            "current": _plain(self.current),
            "absent": "recorded" if self.recorded is ABSENT else "current" if self.current is ABSENT else None,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Difference:
        absent = data.get("absent")
        return cls(
            data["test"],
            data["exchange"],
            data["field"],
            ABSENT if absent == "recorded" else data["recorded"],
            ABSENT if absent == "current" else data["current"],
            data["message"],
            data.get("current_exchange"),
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The parity of a current run against a recorded snapshot: its differences, and which tests were compared."""

    recorded_from: Mapping[str, Any]
    current_from: Mapping[str, Any]
    differences: tuple[Difference, ...]
    compared: tuple[str, ...]
    """Tests judged for parity (sorted): in both snapshots, or in one only when that is itself a difference."""
    not_compared: tuple[str, ...] = ()
    """Recorded tests the current run did not select (``--clause``): neither identical nor different."""
    clauses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Each test's clause ids, when known, to group differences by."""

    @property
    def differing(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.test for d in self.differences))

    @property
    def identical(self) -> tuple[str, ...]:
        differing = set(self.differing)
        return tuple(nodeid for nodeid in self.compared if nodeid not in differing)

    @property
    def score(self) -> float | None:
        """Tests identical / tests compared; None when no test was compared."""
        return len(self.identical) / len(self.compared) if self.compared else None

    def by_test(self) -> dict[str, list[Difference]]:
        grouped: dict[str, list[Difference]] = {}
        for difference in self.differences:
            grouped.setdefault(difference.test, []).append(difference)
        return grouped

    def to_dict(self) -> dict[str, Any]:
        """JSON for reports (``schemas/snapshot.json#/$defs/Parity``)."""
        return {
            "format": PARITY_FORMAT,
            "recorded_from": dict(self.recorded_from),
            "current_from": dict(self.current_from),
            "score": self.score,
            "identical": len(self.identical),
            "compared": list(self.compared),
            "not_compared": list(self.not_compared),
            "differences": [d.to_dict() for d in self.differences],
            "clauses": {nodeid: list(ids) for nodeid, ids in sorted(self.clauses.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        return cls(
            recorded_from=data["recorded_from"],
            current_from=data["current_from"],
            differences=tuple(Difference.from_dict(d) for d in data["differences"]),
            compared=tuple(data["compared"]),
            not_compared=tuple(data.get("not_compared", ())),
            clauses={nodeid: tuple(ids) for nodeid, ids in data.get("clauses", {}).items()},
        )


def compare(recorded: Snapshot, current: Snapshot, *, selected: Collection[str] | None = None) -> Comparison:
    """The parity of ``current`` against ``recorded``.

    A recorded test that the current run did not run is *not compared* when the current run did not select it:
    ``selected`` (the node ids the run selected), or else, when ``current.selection`` names clauses, a test none of
    whose clauses is among them. Otherwise it is a difference ("not run now"), as is a current test the snapshot
    does not have ("not recorded"): both count as compared and not identical.
    """
    clauses = {**recorded.clauses, **current.clauses}
    differences: list[Difference] = []
    compared: list[str] = []
    not_compared: list[str] = []
    for nodeid in sorted(set(recorded.tests) | set(current.tests)):
        if nodeid not in current.tests and not _selected(nodeid, current, clauses, selected):
            not_compared.append(nodeid)
            continue
        compared.append(nodeid)
        if nodeid not in current.tests:
            count = len(recorded.tests[nodeid])
            differences.append(
                Difference(
                    nodeid,
                    None,
                    "test",
                    count,
                    ABSENT,
                    f"not run now: the recorded implementation's run made {count} exchange(s) in this test, "
                    "this run did not run it",
                )
            )
        elif nodeid not in recorded.tests:
            count = len(current.tests[nodeid])
            differences.append(
                Difference(
                    nodeid,
                    None,
                    "test",
                    ABSENT,
                    count,
                    f"not recorded: the snapshot has no answers for this test (recorded with another suite version or "
                    f"--clause selection); this run made {count} exchange(s) in it",
                )
            )
        else:
            differences += _test_differences(nodeid, recorded.tests[nodeid], current.tests[nodeid])
    return Comparison(
        recorded_from=recorded.recorded_from,
        current_from=current.recorded_from,
        differences=tuple(differences),
        compared=tuple(compared),
        not_compared=tuple(not_compared),
        clauses=clauses,
    )


def _selected(
    nodeid: str, current: Snapshot, clauses: Mapping[str, tuple[str, ...]], selected: Collection[str] | None
) -> bool:
    if selected is not None:
        return nodeid in selected
    if current.selection is not None and nodeid in clauses:
        return bool(set(clauses[nodeid]) & set(current.selection))
    return True


def _request_key(entry: Mapping[str, Any]) -> str:
    return json.dumps([entry.get(name) for name in REQUEST_FIELDS], sort_keys=True, ensure_ascii=False)


def _test_differences(
    nodeid: str, recorded: Sequence[Mapping[str, Any]], current: Sequence[Mapping[str, Any]]
) -> list[Difference]:
    """Exchanges are aligned on what the suite sent; aligned pairs are compared field by field."""
    matcher = difflib.SequenceMatcher(
        a=[_request_key(e) for e in recorded], b=[_request_key(e) for e in current], autojunk=False
    )
    found: list[Difference] = []
    counts = f"(recorded {len(recorded)} exchange(s), now {len(current)})"
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        pairs = min(a_end - a_start, b_end - b_start) if tag in ("equal", "replace") else 0
        for offset in range(pairs):
            i, j = a_start + offset, b_start + offset
            found += _exchange_differences(nodeid, i, j, recorded[i], current[j])
        for i in range(a_start + pairs, a_end):
            found.append(
                Difference(
                    nodeid,
                    i,
                    "exchange",
                    _summary(recorded[i]),
                    ABSENT,
                    f"recorded but not made now: {_summary(recorded[i])} {counts}",
                )
            )
        for j in range(b_start + pairs, b_end):
            found.append(
                Difference(
                    nodeid,
                    None,
                    "exchange",
                    ABSENT,
                    _summary(current[j]),
                    f"made now but not recorded: {_summary(current[j])} {counts}",
                    current_exchange=j,
                )
            )
    return found


def _exchange_differences(
    nodeid: str, i: int, j: int, recorded: Mapping[str, Any], current: Mapping[str, Any]
) -> list[Difference]:
    found: list[Difference] = []

    def add(path: str, was: Any, now: Any, message: str) -> None:
        found.append(Difference(nodeid, i, path, was, now, message, current_exchange=j))

    for name in ("operation", "transport", "refusal"):
        if recorded.get(name) != current.get(name):
            add(
                name,
                recorded.get(name),
                current.get(name),
                f"the suite sent {name} {_show(recorded.get(name))} "
                f"to the recorded implementation, {_show(current.get(name))} now",
            )
    for path, was, now in _leaves(recorded.get("request"), current.get("request"), "request"):
        add(path, was, now, f"the suite's request differs: {_member(path, 'request', was, now)}")
    for path, was, now in _leaves(recorded.get("request_headers"), current.get("request_headers"), "request_headers"):
        add(
            path,
            was,
            now,
            f"the suite's request differs: request header {path.partition('.')[2]}: "
            f"recorded {_show(was)}, now {_show(now)}",
        )

    status_differs = recorded.get("status") != current.get("status")
    code_differs = recorded.get("error_code") != current.get("error_code")
    if status_differs or code_differs:
        path = "status" if status_differs else "error_code"
        add(
            path,
            recorded.get(path),
            current.get(path),
            f"the recorded implementation answered {_answer(recorded)}, this one {_answer(current)}",
        )

    for name, spelled in KEPT_HEADERS.items():
        was, now = recorded.get("headers", {}).get(name, ABSENT), current.get("headers", {}).get(name, ABSENT)
        if was != now:
            add(f"headers.{name}", was, now, f"header {spelled}: recorded {_show(was)}, now {_show(now)}")

    if "body" in recorded and "body" in current:
        skipped = {"body.__type"} if code_differs else set()
        for path, was, now in _leaves(recorded["body"], current["body"], "body"):
            if path not in skipped:
                add(path, was, now, _member(path, "response", was, now))
    elif "body" in recorded or "body" in current:
        was, now = _body_of(recorded), _body_of(current)
        add("body", was, now, f"response body: recorded {_describe_body(recorded)}, now {_describe_body(current)}")
    elif recorded.get("text") != current.get("text"):
        add(
            "text",
            recorded.get("text"),
            current.get("text"),
            f"response body (not JSON): recorded {_show(recorded.get('text'))}, now {_show(current.get('text'))}",
        )

    was_ids, now_ids = recorded.get("new_job_ids", {}), current.get("new_job_ids", {})
    for placeholder in sorted(set(was_ids) | set(now_ids), key=_placeholder_order):
        was, now = was_ids.get(placeholder, ABSENT), now_ids.get(placeholder, ABSENT)
        if was != now:
            add(
                f"new_job_ids.{placeholder}",
                was,
                now,
                f"job id `{placeholder}` (first seen in this exchange): recorded {_id_form(was)}, now {_id_form(now)}",
            )
    return found


def _leaves(was: Any, now: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, recorded, current) for every place two JSON values differ: members recursively, lists by index."""
    if isinstance(was, Mapping) and isinstance(now, Mapping):
        for name in sorted(set(was) | set(now)):
            yield from _leaves(was.get(name, ABSENT), now.get(name, ABSENT), f"{path}.{name}")
    elif isinstance(was, list) and isinstance(now, list) and len(was) == len(now):
        for index, (one, other) in enumerate(zip(was, now, strict=True)):
            yield from _leaves(one, other, f"{path}[{index}]")
    elif was is ABSENT or now is ABSENT or _typed(was) != _typed(now):
        yield path, was, now


def _typed(value: Any) -> Any:
    """A value with its JSON type: 1 and 1.0 are equal in JSON, True and 1 are not."""
    return json.dumps(value, sort_keys=True)


def _member(path: str, side: str, was: Any, now: Any) -> str:
    root = "body" if side == "response" else "request"
    name = path.removeprefix(root).removeprefix(".") or f"(the whole {root})"
    if was is ABSENT:
        return f"{side} member {name}: absent in the recorded answer, now {_show(now)}"
    if now is ABSENT:
        return f"{side} member {name}: recorded {_show(was)}, absent now"
    return f"{side} member {name}: recorded {_show(was)}, now {_show(now)}"


def _answer(entry: Mapping[str, Any]) -> str:
    status = entry.get("status")
    if entry.get("error_code"):
        return f"{status} {entry['error_code']}"
    if "text" in entry:
        kind = entry.get("headers", {}).get("content-type", "no Content-Type")
        return f"{status} with a body that is not JSON ({kind})" if entry["text"] else f"{status} with an empty body"
    return f"{status} without an error code" if isinstance(status, int) and status >= 400 else str(status)


def _body_of(entry: Mapping[str, Any]) -> Any:
    return entry["body"] if "body" in entry else entry.get("text")


def _describe_body(entry: Mapping[str, Any]) -> str:
    if "body" in entry:
        return f"JSON {_show(entry['body'])}"
    return f"not JSON {_show(entry.get('text'))}" if entry.get("text") else "an empty body"


def _summary(entry: Mapping[str, Any]) -> str:
    how = ", ".join(str(part) for part in (entry.get("transport"), entry.get("refusal")) if part)
    return f"{entry.get('operation')} ({how}) {_show(entry.get('request'), 80)} -> {_answer(entry)}"


def _id_form(form: Any) -> str:
    return "not seen" if form is ABSENT else str(form)


def _placeholder_order(placeholder: str) -> tuple[int, str]:
    digits = "".join(ch for ch in placeholder if ch.isdigit())
    return (int(digits) if digits else 0, placeholder)


def _show(value: Any, limit: int = SHOWN) -> str:
    """A value as a message shows it, as a code span: placeholders bare, strings quoted, JSON compact, long ones cut.

    Code spans are the kit's convention in messages (report.html renders them as code): the values keep their
    ``<placeholders>`` and their quotes, so ``3`` and ``"3"`` stay apart.
    """
    if value is ABSENT:
        return "absent"
    if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
        text = value
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _plain(value: Any) -> Any:
    """A difference's value as JSON: an absent side is null (and ``absent`` names it)."""
    return None if value is ABSENT else value

"""Every mutant is built on the reference's public seams: read statically from ``catalogue.py``.

A mutant that patches a private name, reaches into the reference's wiring or matches an error's message text
breaks silently when the reference is refactored; these checks fail instead, naming the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import comprehend_contract.reference
from comprehend_contract.mutants import catalogue

INTERNAL_ATTRIBUTES = frozenset(
    {"operations", "runner", "edge", "http", "table", "handle", "verify", "storage", "faults", "comprehend", "lock"}
)
"""The reference's wiring as it was reached before it had seams: none of it is a mutant's business."""

PUBLIC_MODULES = ("comprehend_contract.reference", "comprehend_contract.spec")
"""What a mutant may import from the kit: the reference's public face (its package) and the spec."""

MESSAGE_NAMES = frozenset({"message", "Message"})


def violations(source: str) -> list[str]:
    """What in ``source`` goes past the reference's public seams, one line each (empty: nothing)."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []

    def say(node: ast.AST, what: str) -> None:
        found.append((getattr(node, "lineno", 0), what))

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            private = node.attr.startswith("_") and not (node.attr.startswith("__") and node.attr.endswith("__"))
            if private:
                say(node, f"private name .{node.attr}")
            elif node.attr in INTERNAL_ATTRIBUTES and not _is_job_type(node.value):
                say(node, f"the reference's wiring .{node.attr}")
            if isinstance(node.value, ast.Attribute) and node.value.attr in MESSAGE_NAMES:
                say(node, f"message text read with .{node.value.attr}.{node.attr}")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    say(node, f"patches .{target.attr}: a mutant configures the reference, it never rewires it")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            public = any(module == name or module.startswith(name + ".") for name in PUBLIC_MODULES[1:])
            if module.startswith("comprehend_contract") and module != PUBLIC_MODULES[0] and not public:
                say(node, f"imports from {module}, not from the reference's public face")
            for alias in node.names:
                if alias.name.startswith("_"):
                    say(node, f"imports the private name {alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("comprehend_contract."):
                    say(node, f"imports the module {alias.name}")
        elif isinstance(node, ast.Compare | ast.Call) and _reads_message(node):
            say(node, "matches an error's message text")
    return [f"line {line}: {what}" for line, what in sorted(found)]


def _is_job_type(node: ast.AST) -> bool:
    """``job_type``: the spec's JobType (its ``.operations`` are the type's operation names, not wiring)."""
    return isinstance(node, ast.Name) and node.id == "job_type"


def _reads_message(node: ast.Compare | ast.Call) -> bool:
    """A comparison with, or a string method or regex over, an error's message (``.message``, ``["Message"]``)."""
    if isinstance(node, ast.Call):
        function = node.func
        is_match = isinstance(function, ast.Attribute) and function.attr in (
            "search", "match", "fullmatch", "findall", "startswith", "endswith", "find", "index", "count",
        )  # fmt: skip
        candidates = [*node.args, function.value] if is_match and isinstance(function, ast.Attribute) else []
    else:
        candidates = [node.left, *node.comparators]
    return any(_is_message(part) for candidate in candidates for part in ast.walk(candidate))


def _is_message(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in MESSAGE_NAMES
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value in MESSAGE_NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        return any(isinstance(arg, ast.Constant) and arg.value in MESSAGE_NAMES for arg in node.args)
    return False


def test_every_mutant_is_built_on_public_seams_only() -> None:
    source = Path(catalogue.__file__).read_text(encoding="utf-8")
    assert violations(source) == []


def test_what_the_catalogue_imports_from_the_reference_is_its_public_face() -> None:
    tree = ast.parse(Path(catalogue.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "comprehend_contract.reference"
        for alias in node.names
    }
    assert imported <= set(comprehend_contract.reference.__all__)


@pytest.mark.parametrize(
    ("sample", "says"),
    [
        pytest.param("runner._end = end", "private name ._end", id="patches-a-private-method"),
        pytest.param("original = jobs.table.get", "wiring .table", id="reads-the-job-table"),
        pytest.param("handler = service.operations.operations[name]", "wiring .operations", id="wraps-a-handler"),
        pytest.param("service.http.verify = verify", "patches .verify", id="replaces-the-verifier"),
        pytest.param("inner = service.edge.comprehend", "wiring .edge", id="reaches-the-edge"),
        pytest.param("service.operations.handle = handle", "wiring .operations", id="replaces-handle"),
        pytest.param("service.config = other", "patches .config", id="patches-any-attribute"),
        pytest.param('ok = "calculated does not match" in error.message', "message text", id="in-message"),
        pytest.param('ok = "Signature expired" not in error.message', "message text", id="not-in-message"),
        pytest.param('ok = error.message.startswith("Signature")', "message text", id="message-method"),
        pytest.param('ok = re.search("expired", error.message)', "message text", id="message-regex"),
        pytest.param('ok = body.get("Message") == "x"', "message text", id="body-message-compared"),
        pytest.param('ok = "expired" in body["message"]', "message text", id="body-message-subscript"),
        pytest.param("from comprehend_contract.reference.jobs import Job", "not from the reference's public face"),
        pytest.param("from comprehend_contract.reference import _NotReady", "private name _NotReady"),
        pytest.param("import comprehend_contract.reference.runner", "imports the module"),
    ],
)
def test_the_check_catches_a_mutant_built_past_the_seams(sample: str, says: str) -> None:
    found = violations(sample)
    assert found, f"{sample!r} passed the check"
    assert any(says in line for line in found), found


def test_the_check_lets_public_seams_through() -> None:
    sample = """
from comprehend_contract.reference import AwsError, Behaviour, invalid_request
from comprehend_contract.spec.lifecycle import JobStatus

def validate(call, proceed):
    try:
        return proceed(call)
    except AwsError as error:
        if error.code == "ValidationException":
            raise invalid_request(error.message) from None
        raise

behaviour = Behaviour(validate=validate, respond=lambda response: response.with_header("x-amzn-RequestId", None))
name = validate.__name__
"""
    assert violations(sample) == []

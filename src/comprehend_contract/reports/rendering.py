"""Rendering through the Jinja templates in ``templates/``, with autoescaping on: every value is escaped unless
marked safe. ``code_spans`` renders backtick spans as ``<code>`` (escaping first); ``anchor`` makes a fragment-safe id.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2
from markupsafe import Markup, escape

_CODE_SPAN = re.compile(r"`([^`]+)`")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def code_spans(text: object) -> Markup:
    """Escaped text whose backtick spans are ``<code>`` elements."""
    escaped = str(escape(str(text)))
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", escaped))


def anchor(prefix: str, name: str) -> str:
    """An element id made of ``[A-Za-z0-9_.-]`` only, so it needs no escaping in a URL fragment."""
    return f"{prefix}-{_UNSAFE.sub('-', name).strip('-')}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("comprehend_contract.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code_spans"] = code_spans
    return env


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)

"""The dominant languages of a document from langdetect (Google's language-detection, ported), seeded to be repeatable.

langdetect ships its 55 language profiles inside the package: nothing is downloaded. It is imported and its profiles
loaded (about 0.3 s) on the first document, once, under a lock, never at import of the reference. Its random sampling
is seeded, so the same text always gets the same answer. Codes are AWS's (RFC 5646): langdetect's ``zh-cn`` is
``zh`` and ``zh-tw`` is ``zh-TW``; the others are already ISO 639-1. Languages whose probability is under 0.1 are
not listed (langdetect's threshold); a document with no letters gets an empty list. It does not attempt languages
outside langdetect's 55, nor mixed-language documents beyond their proportions.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from comprehend_contract.reference.analysis.settings import Settings

_AWS_CODES = {"zh-cn": "zh", "zh-tw": "zh-TW"}
_LOADING = threading.Lock()


def detect_dominant_language(text: str, settings: Settings) -> dict[str, Any]:
    """The ``Languages`` of one document, most likely first."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        probabilities = detector.get_probabilities()
    except LangDetectException:
        return {"Languages": []}
    languages = [
        {"LanguageCode": _AWS_CODES.get(p.lang, p.lang), "Score": round(min(1.0, max(0.0, p.prob)), 6)}
        for p in probabilities
    ]
    return {"Languages": sorted(languages, key=lambda item: (-item["Score"], item["LanguageCode"]))}


def _factory() -> Any:
    with _LOADING:
        return _loaded_factory()


@functools.cache
def _loaded_factory() -> Any:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory

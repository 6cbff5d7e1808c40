"""The Guardian Content API finder: ``/search`` by the quote's phrases or the cited title.

Two kinds of query, each one request (the API allows a developer key about one call
a second; the ``guardian_api`` download slot keeps to that, see
``SOURCECHECK_SERVICE_DELAYS``):

* phrases: ``q`` is the quote's distinctive word runs as exact phrases joined by OR,
  within the search window (``from-date`` / ``to-date``): finds a report that carries
  the quoted words, also for a quote with a speaker and no outlet;
* title: ``query-fields=headline`` with the cited title's words, over a window
  widened to a year (a title is specific; its date cue is often vague).

``show-fields=headline,bodyText`` brings each result's text, so a candidate can be
shortlisted and checked without fetching its page.
"""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from crawler.discovery.candidates import Candidate, Wanted
from crawler.fetching.services import ServiceRequest, ServiceResponse
from verify.cues import COMMON, distinctive_runs, words_of

FINDER = "guardian_api"
SERVICE = "guardian_api"
TEST_KEY = "test"  # the Content API documentation's key for trying it out
PAGE_SIZE = 10
TITLE_WINDOW_DAYS = 365
log = logging.getLogger(__name__)


def api_key(configured: str | None) -> str:
    if configured:
        return configured
    log.warning(
        "SOURCECHECK_GUARDIAN_API_KEY is not set: using the Content API's 'test' key, "
        "which is rate-limited hard"
    )
    return TEST_KEY


def _url(api: str, params: dict[str, Any], key: str) -> str:
    return f"{api.rstrip('/')}/search?{urlencode({**params, 'api-key': key})}"


def _phrase(run: str) -> str:
    # The API's phrase search ignores punctuation; a straight apostrophe and no double
    # quote inside keep the phrase one phrase.
    return '"' + run.replace("’", "'").replace('"', "") + '"'


def queries(wanted: Wanted, api: str, key: str) -> list[tuple[str, ServiceRequest]]:
    """(the query as a reader would read it, the request) for one quotation."""
    out: list[tuple[str, ServiceRequest]] = []
    window = wanted.window
    fields = {"show-fields": "headline,bodyText", "page-size": PAGE_SIZE}
    if wanted.title:
        title_words = [w for w in words_of(wanted.title) if w not in COMMON][:8]
        if title_words:
            q = " AND ".join(title_words)
            start = min(window.start, window.end - timedelta(days=TITLE_WINDOW_DAYS))
            params = {
                "q": q,
                "query-fields": "headline",
                "from-date": start.isoformat(),
                "to-date": window.end.isoformat(),
                **fields,
            }
            out.append((f"headline: {q}", ServiceRequest(_url(api, params, key), SERVICE)))
    runs = distinctive_runs(wanted.text, size=5, limit=3)
    if runs:
        q = " OR ".join(_phrase(r) for r in runs)
        params = {
            "q": q,
            "from-date": window.start.isoformat(),
            "to-date": window.end.isoformat(),
            "order-by": "relevance",
            **fields,
        }
        out.append((q, ServiceRequest(_url(api, params, key), SERVICE)))
    return out


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def candidates(response: ServiceResponse, query: str) -> tuple[list[Candidate], str | None]:
    """The results of one answer as candidates, or the reason the answer is unusable."""
    if not response.ok:
        message = ""
        with contextlib.suppress(ValueError, AttributeError):
            message = str(json.loads(response.body).get("message", ""))[:120]
        detail = f" ({message})" if message else ""
        return [], f"{response.reason}{detail}"
    try:
        doc = json.loads(response.body)
        answer = doc["response"]
        if answer.get("status") != "ok":
            return [], f"api_error ({answer.get('message', answer.get('status'))})"
        results = answer.get("results") or []
        if not isinstance(results, list):
            raise TypeError("results is not a list")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return [], f"malformed_json ({type(exc).__name__}: {str(exc)[:80]})"
    found = []
    for result in results:
        if not isinstance(result, dict) or not isinstance(result.get("webUrl"), str):
            continue
        raw = result.get("fields")
        fields: dict[str, Any] = raw if isinstance(raw, dict) else {}
        text = fields.get("bodyText") if isinstance(fields.get("bodyText"), str) else None
        found.append(
            Candidate(
                url=result["webUrl"],
                found_by=FINDER,
                query=query,
                title=str(result.get("webTitle") or fields.get("headline") or "") or None,
                published=_day(result.get("webPublicationDate")),
                text=text or None,
            )
        )
    return found, None

"""The phone revalidates its kept checklist forms: a refresh sends If-None-Match with the stored ETag,
the server answers 304 with no body, and the phone keeps working from its copy."""
from __future__ import annotations

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser

REFRESH = """async () => {
  const { loadForms } = await import('./drafts.js');
  const forms = await loadForms({ refresh: true });
  return forms.site.items.length;
}"""


def _checklists(response) -> bool:
    return response.url.endswith("/api/checklists")


def test_a_refresh_with_unchanged_checklists_is_a_304_and_the_kept_forms_stay(page):
    flows.open_app(page)
    with page.expect_response(_checklists) as first:  # the refresh the app starts after login
        flows.log_in(page)
    assert first.value.status == 200
    etag = first.value.headers["etag"]
    page.wait_for_function("""async () => { const db = await import('./db.js');
                              const kept = await db.get('kv', 'checklists'); return kept && kept.etag; }""")
    for _ in range(2):  # and again: the kept copy still answers
        with page.expect_response(_checklists) as again:
            assert page.evaluate(REFRESH) > 10
        assert again.value.request.all_headers().get("if-none-match") == etag
        assert again.value.status == 304

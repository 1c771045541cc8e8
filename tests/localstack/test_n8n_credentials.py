"""The n8n credentials built from settings: MongoDB gets fail-fast timeouts without losing the URI's own options."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from promptsales.n8n_credentials import with_fail_fast_timeouts


def test_timeouts_are_added_and_the_uri_keeps_its_own_options():
    uri = with_fail_fast_timeouts("mongodb://127.0.0.1:57017/?directConnection=true")
    assert parse_qs(urlsplit(uri).query) == {
        "directConnection": ["true"],
        "serverSelectionTimeoutMS": ["5000"],
        "connectTimeoutMS": ["5000"],
    }


def test_a_timeout_the_uri_sets_itself_is_kept_and_credentials_are_untouched():
    uri = with_fail_fast_timeouts(
        "mongodb+srv://app:p%40ss@cluster0.example.net/content?serverselectiontimeoutms=9000"
    )
    parts = urlsplit(uri)
    assert parts.netloc == "app:p%40ss@cluster0.example.net" and parts.path == "/content"
    assert parse_qs(parts.query) == {"serverselectiontimeoutms": ["9000"], "connectTimeoutMS": ["5000"]}

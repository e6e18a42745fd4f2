"""Redaction: every secret of the corpus is hidden, ordinary text is left alone."""

from __future__ import annotations

import pytest

from renderer.snapshot.redaction import (
    PRECHECK_FRAGMENTS,
    REDACTED,
    RedactionError,
    Redactor,
    fragments_in,
    might_hold_secret,
    secret_name,
)
from tests.secret_corpus import ORDINARY, SECRETS


def test_the_corpus_is_large_and_varied() -> None:
    assert len(SECRETS) >= 30
    assert {s.where for s in SECRETS} == {"env", "metadata", "error", "log"}
    for secret in SECRETS:
        assert secret.secret in secret.text


@pytest.mark.parametrize("secret", SECRETS, ids=lambda s: s.secret[:24])
def test_every_secret_is_hidden_and_the_rest_kept(secret) -> None:  # type: ignore[no-untyped-def]
    redactor = Redactor()
    if secret.where in ("env", "metadata"):
        shown = redactor.pair(secret.name, secret.text)
        assert shown == REDACTED
    else:
        shown = redactor.text(secret.text)
        assert secret.secret not in shown
        assert REDACTED in shown
        before, _, after = secret.text.partition(secret.secret)
        assert shown == before + REDACTED + after, "only the secret part is replaced"
    assert redactor.count == 1


@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_are_left_alone(line: str) -> None:
    redactor = Redactor()
    assert redactor.text(line) == line
    assert redactor.count == 0


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("DB_PASSWORD", True),
        ("api_key", True),
        ("sshKey", True),
        ("GITHUB_TOKEN", True),
        ("X-Auth", True),
        ("KEYBOARD_LAYOUT", False),
        ("MONKEY", False),
        ("AUTHOR", False),
        ("TOKENIZER", False),
        ("PATH", False),
        ("HOME", False),
    ],
)
def test_secret_like_names(name: str, secret: bool) -> None:
    assert secret_name(name) is secret
    shown = Redactor().pair(name, "value-1")
    assert (shown == REDACTED) is secret
    assert (shown == "value-1") is not secret


def test_a_token_under_an_ordinary_name_is_still_hidden() -> None:
    token = "ghp_" + "a" * 36
    assert Redactor().text(f"KEYBOARD={token} x") == f"KEYBOARD={REDACTED} x"
    assert Redactor().pair("PATH", token) == REDACTED


def test_switched_off_it_changes_nothing() -> None:
    redactor = Redactor(enabled=False)
    for secret in SECRETS:
        assert redactor.text(secret.text) == secret.text
        assert redactor.pair(secret.name, secret.text) == secret.text
    assert redactor.count == 0


def test_extra_patterns_hide_the_match_or_its_groups() -> None:
    redactor = Redactor([r"acct-\d+", r"customer=(\w+)"])
    assert redactor.text("for acct-991 and customer=acme ok") == (
        f"for {REDACTED} and customer={REDACTED} ok"
    )
    assert redactor.count == 2


@pytest.mark.parametrize("pattern", ["(unclosed", "[a-", "x*"])
def test_a_bad_extra_pattern_is_refused(pattern: str) -> None:
    with pytest.raises(RedactionError, match="--redact"):
        Redactor([pattern])


def test_repeated_strings_count_every_time() -> None:
    redactor = Redactor()
    line = "error: password=abc123"
    assert redactor.text(line) == redactor.text(line) == f"error: password={REDACTED}"
    assert redactor.count == 2


def test_the_pre_check_answers_as_testing_each_fragment() -> None:
    """The fast pre-check finds a fragment exactly when plain `in` does."""
    texts = [s.text for s in SECRETS] + list(ORDINARY) + [f"x{f}y" for f in PRECHECK_FRAGMENTS]
    texts += [f"{f.upper()} and more" for f in PRECHECK_FRAGMENTS]
    for text in texts:
        expected = any(fragment in text.lower() for fragment in PRECHECK_FRAGMENTS)
        assert might_hold_secret(text) is expected, text
    assert not might_hold_secret(ORDINARY[0])


def test_fragments_in_names_each_fragment_found() -> None:
    for fragment in PRECHECK_FRAGMENTS:
        assert fragment in fragments_in(f"a {fragment.upper()} b"), fragment
    assert fragments_in(ORDINARY[0]) == set()
    assert fragments_in("DB_PASSWORD=x and ghp_y") == {"pass", "ghp_"}


def test_lines_at_once_answer_as_one_by_one() -> None:
    texts = [s.text for s in SECRETS if s.where in ("log", "error")] + list(ORDINARY)
    texts += ["", "to", "ken=abc", "multi\nline password=x", "\u212aEY=v", "İ token=zz9"]
    texts = texts + texts[::-1]
    one_by_one, at_once = Redactor(), Redactor()
    assert at_once.lines(texts) == [one_by_one.text(text) for text in texts]
    assert at_once.count == one_by_one.count > 30
    assert Redactor(enabled=False).lines(texts) == texts
    extra = Redactor([r"abc"])
    assert extra.lines(["xabcx", "ghp_" + "b" * 36]) == ["x[redacted]x", "[redacted]"]

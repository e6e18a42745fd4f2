"""Hide secrets a snapshot may carry before any of it is published.

Two kinds of secret are found:

* values of environment variables and metadata keys whose *name* is secret-like
  (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`, `session_id`): the whole value goes;
* values *shaped* like secrets anywhere in free text (log lines, errors, names,
  details): private key blocks, JWTs, `Bearer`/`Basic` credentials, passwords in
  URLs, cloud and SaaS tokens with a known prefix, and `NAME=value`, `NAME: value`,
  `"name": "value"` where NAME is secret-like. Only the secret part is replaced by
  `[redacted]`, so the rest of the line stays readable.

A name is secret-like when one of its words (split at `_`, `-`, `.`, spaces and
camelCase humps) is a secret word (`token`, `key`, `auth`, `session`, `cookie`,
`private`, `pass`, ...) or when it contains a strong secret word anywhere
(`secret`, `password`, `passwd`, `credential`, `apikey`, `accesskey`, `privatekey`).
So `KEYBOARD_LAYOUT`, `MONKEY`, `AUTHOR` and `TOKENIZER` are not secret-like, while
`API_KEY`, `sshKey`, `OAUTH_TOKEN`, `MYSQLPASSWORD` are.

A 40-digit hexadecimal git commit and a UUID are not secrets: no pattern matches
them alone (an AWS secret key, 40 characters of base64, is only recognised next to
an `aws...` name, where a key/value pattern finds it anyway).

Why not detect-secrets: it is a well-kept scanner whose plugins' regexes and keyword
detector informed the patterns here, but it reports findings (it does not replace
them in place), runs every plugin, entropy checks included, on every line, and brings
dependencies (PyYAML, requests) into a tool that has four. Measured on ordinary log
lines, its `scan_line` took about 12 ms a line with its default plugins and reported
13 candidates a line (its entropy plugins' words, numbers and paths), where a render redacts
about a million strings and may spend a fraction of a second on it. So this module
keeps its own patterns: one regex finds, in one pass, which of the literal fragments
that every secret shape contains a string holds (most hold none: done); only the
shapes those fragments allow run, and NAME=value pairs are found from the secret
word outwards. Answers for repeated strings (errors, names) are cached.

Longer than 400 lines on purpose: the patterns and the pre-check that keeps them
fast must change together.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence

REDACTED = "[redacted]"

# A word of a name that alone makes it secret-like (compared lower-case).
SECRET_WORDS = frozenset(
    {
        "secret",
        "secrets",
        "password",
        "passwords",
        "passwd",
        "pass",
        "pwd",
        "passphrase",
        "token",
        "tokens",
        "key",
        "keys",
        "apikey",
        "credential",
        "credentials",
        "creds",
        "auth",
        "authorization",
        "private",
        "session",
        "sessionid",
        "cookie",
        "cookies",
        "signature",
        "jwt",
        "bearer",
    }
)
# Fragments that make a name secret-like wherever they sit in it.
SECRET_FRAGMENTS = ("secret", "password", "passwd", "credential", "apikey", "accesskey")

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_NAME_FRAGMENT = re.compile(
    "(?:" + "|".join(sorted(SECRET_WORDS | set(SECRET_FRAGMENTS), key=len, reverse=True)) + ")",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def secret_name(name: str) -> bool:
    """Whether values under this name (an environment variable, a metadata key) are secrets."""
    lowered = name.lower()
    if any(fragment in lowered.replace("_", "").replace("-", "") for fragment in SECRET_FRAGMENTS):
        return True
    if _NAME_FRAGMENT.search(name) is None:
        return False
    return any(word.lower() in SECRET_WORDS for word in _WORD_SPLIT.split(name) if word)


# ---- the shapes of secrets in free text ----
# Each alternative is a named group; the groups called s_* hold the secret part. Every
# alternative starts with a literal or a class, so that the regex engine skips, in C,
# the positions where none can start; "at a word start" is therefore checked after the
# literal, by looking back (`_W` followed by the literal's width in dots).
_W = "(?<![A-Za-z0-9_]"


def _after_word_start(width: int) -> str:
    return _W + "." * width + ")"


_SHAPES = (
    # A PEM private key, possibly cut short: the body up to its END line or the text's end.
    r"(?P<pem>-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)"
    r"(?P<s_pem>.*?)(?=-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\Z)",
    # A JSON Web Token: base64url header and payload (both JSON objects: "eyJ").
    r"(?P<s_jwt>eyJ" + _after_word_start(3) + r"[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}"
    r"\.[A-Za-z0-9_-]*)",
    # "Bearer <token>" (the token holds a digit: "bearer authentication" is prose).
    r"(?P<scheme>[Bb](?:earer|EARER)" + _after_word_start(6) + r"\s+)"
    r"(?P<s_http>(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,})",
    # Slack incoming webhooks: the path is the secret.
    r"(?P<hook>https://hooks\.slack\.com/(?:services|workflows|triggers)/)"
    r"(?P<s_hook>[A-Za-z0-9_/+-]{16,})",
    # A password in a URL: scheme://user:password@host (the scheme and user name stay).
    r"(?P<userinfo>://[^/\s:@\"'<>]*:)(?P<s_url>[^/\s@\"'<>]+)(?=@)",
    # Tokens with a known prefix.
    r"(?P<s_token>"
    r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])" + _after_word_start(4) + r"[A-Z0-9]{16}\b"  # AWS
    r"|gh[pousr]_" + _after_word_start(4) + r"[A-Za-z0-9]{30,255}\b"  # GitHub
    r"|github_pat_" + _after_word_start(11) + r"[A-Za-z0-9_]{22,255}\b"
    r"|glpat-" + _after_word_start(6) + r"[A-Za-z0-9_-]{20,}"  # GitLab
    r"|xox[abposr]-" + _after_word_start(5) + r"[A-Za-z0-9-]{10,}"  # Slack
    r"|[sr]k_(?:live|test)_" + _after_word_start(8) + r"[A-Za-z0-9]{10,}"  # Stripe
    r"|AIza" + _after_word_start(4) + r"[0-9A-Za-z_-]{35}"  # Google API key
    r"|hf_" + _after_word_start(3) + r"[A-Za-z0-9]{30,}\b"  # Hugging Face
    r"|sk-" + _after_word_start(3) + r"(?:proj-|ant-[a-z0-9]{2,6}-)?[A-Za-z0-9_-]{20,}"
    r"|npm_" + _after_word_start(4) + r"[A-Za-z0-9]{36}\b"  # npm
    r"|pypi-AgE" + _after_word_start(8) + r"[A-Za-z0-9_-]{50,}"  # PyPI
    r")",
    # An AWS secret key next to its name: 40 characters of base64.
    r"(?P<awsname>[Aa][Ww][Ss]" + _after_word_start(3) + r"[A-Za-z0-9_.-]{0,30}"
    r"(?:\"\s*:\s*\"|\s*[=:]\s*['\"]?))"
    r"(?P<s_aws>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
)
SECRETS = re.compile("|".join(_SHAPES), re.DOTALL)  # all shapes at once (for reference)

# NAME=value, NAME: value, "name": "value" where NAME holds a secret word and
# secret_name says yes; "Authorization: Basic <value>" keeps its scheme; a quoted
# value runs to its closing quote. Found from the secret word outwards (see _pairs).
NAME_WORDS = (
    "secret",
    "pass",
    "pwd",
    "token",
    "key",
    "cred",
    "auth",
    "private",
    "session",
    "cookie",
    "signature",
    "jwt",
    "bearer",
)
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_NAME_REST = re.compile(r"[A-Za-z0-9_.-]*")
_PAIR_TAIL = re.compile(
    r"(?P<kvsep>[\"']?\s*[=:]\s*(?P<q>[\"'])?)"
    r"(?P<kvscheme>(?:[Bb]earer|[Bb]asic|[Tt]oken|[Dd]igest)\s+)?"
    r"(?!-----BEGIN)(?P<s_kv>(?(q)(?:(?!(?P=q))[^\r\n])+|[^\s\"',;&]+))"
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


# Every shape above contains one of these fragments (compared lower-case): a string
# without any of them holds no secret.
PRECHECK_FRAGMENTS = (
    "key",
    "token",
    "pass",
    "://",
    "auth",
    "secret",
    "session",
    "cookie",
    "cred",
    "private",
    "pwd",
    "bearer",
    "signature",
    "jwt",
    "eyj",
    "akia",
    "asia",
    "abia",
    "acca",
    "a3t",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "_live_",
    "_test_",
    "aiza",
    "hf_",
    "sk-",
    "npm_",
    "pypi-",
    "aws",
)
# Characters of log text, rarest first (a rough order is enough).
_RARITY = "qzjxkvwybg3p_mfu:-/cldhrsnioate"


def _anchored(fragments: Sequence[str]) -> re.Pattern[str]:
    """One regex finding any of the fragments, each entered at its rarest character; the
    group `f<N>` that matched names fragment N.

    The regex engine skips, in C, every position whose character starts no branch; with
    branches that start at rare characters ("y" of "key", then a look back at "ke") it
    stops at few positions. Measured on log lines: about 1.5 times faster than testing
    each fragment with `in`, and 6 times faster than one IGNORECASE regex.
    """
    by_anchor: dict[str, list[str]] = {}
    for number, fragment in enumerate(fragments):
        at = min(
            range(len(fragment)),
            key=lambda i: _RARITY.find(fragment[i]) if fragment[i] in _RARITY else -1,
        )
        behind = f"(?<={re.escape(fragment[: at + 1])})" if at else ""
        by_anchor.setdefault(fragment[at], []).append(
            f"(?P<f{number}>{behind}{re.escape(fragment[at + 1 :])})"
        )
    return re.compile(
        "|".join(
            re.escape(anchor) + "(?:" + "|".join(rests) + ")" for anchor, rests in by_anchor.items()
        )
    )


_PRECHECK = _anchored(PRECHECK_FRAGMENTS)
_FRAGMENT_OF_GROUP = {f"f{n}": fragment for n, fragment in enumerate(PRECHECK_FRAGMENTS)}


def fragments_in(text: str) -> set[str]:
    """The fragments of PRECHECK_FRAGMENTS the text holds (compared lower-case)."""
    return {_FRAGMENT_OF_GROUP[match.lastgroup or ""] for match in _PRECHECK.finditer(text.lower())}


def might_hold_secret(text: str) -> bool:
    """False when the text certainly holds no secret of a built-in shape (a cheap test)."""
    return _PRECHECK.search(text.lower()) is not None


_TOKEN_FRAGMENTS = tuple(
    f for f in PRECHECK_FRAGMENTS if f not in NAME_WORDS and f not in ("://", "eyj", "aws")
)
# Each shape, and the fragments (lower-case) without which it cannot match.
_SHAPE_PATTERNS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (triggers, re.compile(shape, re.DOTALL))
    for triggers, shape in zip(
        (("private",), ("eyj",), ("bearer",), ("://",), ("://",), _TOKEN_FRAGMENTS, ("aws",)),
        _SHAPES,
        strict=True,
    )
)


CACHE_LIMIT = 1 << 16  # distinct strings remembered (names and errors repeat; log lines rarely)


class RedactionError(ValueError):
    """A pattern given to the redactor is not a valid regular expression."""


class Redactor:
    """Replaces secrets in text by `[redacted]`, counting how many it replaced.

    `extra_patterns` are regular expressions for further secrets: with capturing groups,
    the groups are replaced; without, the whole match. `enabled=False` gives text back
    unchanged (and counts nothing).
    """

    def __init__(self, extra_patterns: Sequence[str] = (), enabled: bool = True) -> None:
        self.enabled = enabled
        self.count = 0
        self._cache: dict[str, tuple[str, int]] = {}
        self._extra: list[re.Pattern[str]] = []
        for pattern in extra_patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                raise RedactionError(f"bad --redact pattern {pattern!r}: {error}") from None
            if compiled.search("") is not None:
                raise RedactionError(f"bad --redact pattern {pattern!r}: it matches empty text")
            self._extra.append(compiled)

    def text(self, text: str) -> str:
        """The text with every secret in it replaced."""
        if not self.enabled or not text:
            return text
        cached = self._cache.get(text)
        if cached is None:
            cached = self._redact(text)
            if len(self._cache) < CACHE_LIMIT:
                self._cache[text] = cached
        self.count += cached[1]
        return cached[0]

    def lines(self, texts: Sequence[str]) -> list[str]:
        """Many strings at once (a log tail), as `text` gives each: one scan of them all
        finds the few that may hold a secret, and only those are looked at closely."""
        if not self.enabled:
            return list(texts)
        if self._extra:
            return [self.text(text) for text in texts]
        lowered = [text.lower() for text in texts]
        starts = list(itertools.accumulate((len(text) + 1 for text in lowered), initial=0))
        shown = list(texts)
        last = -1
        # No fragment holds "\n", so no match spans two strings.
        for match in _PRECHECK.finditer("\n".join(lowered)):
            index = bisect.bisect_right(starts, match.start()) - 1
            if index != last:
                shown[index] = self.text(texts[index])
                last = index
        return shown

    def pair(self, name: str, value: str) -> str:
        """The value of a key/value pair (an environment variable, a metadata entry) as shown."""
        if not self.enabled:
            return value
        if value and secret_name(name):
            self.count += 1
            return REDACTED
        return self.text(value)

    def _redact(self, text: str) -> tuple[str, int]:
        found = 0
        present = fragments_in(text)
        if present:
            text, found = self._builtin(text, present)
        for pattern in self._extra:
            text, more = self._apply_extra(pattern, text)
            found += more
        return text, found

    @staticmethod
    def _builtin(text: str, present: set[str]) -> tuple[str, int]:
        """Each shape whose fragments the text holds, then the NAME=value pairs."""
        replaced = 0

        def shape(match: re.Match[str]) -> str:
            nonlocal replaced
            replaced += 1
            groups = match.groupdict()
            for prefix, secret in (
                ("pem", "s_pem"),
                ("scheme", "s_http"),
                ("userinfo", "s_url"),
                ("hook", "s_hook"),
                ("awsname", "s_aws"),
            ):
                if groups.get(secret) is not None:
                    return groups[prefix] + REDACTED
            return REDACTED

        for triggers, pattern in _SHAPE_PATTERNS:
            if not present.isdisjoint(triggers):
                text = pattern.sub(shape, text)
        words = [word for word in NAME_WORDS if word in present]
        if words and ("=" in text or ":" in text):
            text, more = _pairs(text, words)
            replaced += more
        return text, replaced

    @staticmethod
    def _apply_extra(pattern: re.Pattern[str], text: str) -> tuple[str, int]:
        replaced = 0

        def replace(match: re.Match[str]) -> str:
            nonlocal replaced
            if pattern.groups == 0:
                replaced += 1
                return REDACTED
            whole, start = match.group(0), match.start()
            pieces, position = [], 0
            for index in range(1, pattern.groups + 1):
                if match.group(index) is None or match.start(index) - start < position:
                    continue
                pieces += [whole[position : match.start(index) - start], REDACTED]
                position = match.end(index) - start
                replaced += 1
            return "".join(pieces) + whole[position:]

        return pattern.sub(replace, text), replaced


def _pairs(text: str, words: Sequence[str]) -> tuple[str, int]:
    """Hide the values of NAME=value pairs whose NAME holds one of `words` and is secret-like.

    Each occurrence of a word is widened to its whole name and the text after the name is
    matched against a separator and a value: a few C-level steps per occurrence, where
    one regex trying every name of the text took tens of microseconds a line.
    """
    lowered = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
    spans: list[tuple[int, int]] = []
    ends: set[int] = set()
    for word in words:
        position = lowered.find(word)
        while position != -1:
            start = position
            while start and text[start - 1] in _NAME_CHARS:
                start -= 1
            match = _NAME_REST.match(text, position)
            end = match.end() if match else position
            if end not in ends:
                ends.add(end)
                tail = _PAIR_TAIL.match(text, end)
                secret = tail is not None and REDACTED not in tail["s_kv"]
                if tail is not None and secret and secret_name(text[start:end]):
                    spans.append((tail.start("s_kv"), tail.end("s_kv")))
            position = lowered.find(word, max(end, position + 1))
    kept: list[tuple[int, int]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    for start, end in reversed(kept):
        text = text[:start] + REDACTED + text[end:]
    return text, len(kept)


DEFAULT = Redactor()
"""The redactor every output uses unless told otherwise."""

OFF = Redactor(enabled=False)
"""A redactor that changes nothing (`--no-redact`)."""

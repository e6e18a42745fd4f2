"""File names and HTML anchors for ids from a snapshot.

Ids are untrusted: they may hold '/', '..', NUL, control characters, 20,000
characters, names Windows reserves, or differ only in case. Every file name in a
bundle that depends on an id comes from `file_slug`, and `SlugRegistry` keeps them
unique, so names stay inside the bundle, are stable for the same id, and never
collide on a case-insensitive file system.
"""

from __future__ import annotations

import hashlib
import re

# Safe characters, not ending in a dot: an id that may be its own slug.
_SAFE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9_-])?")
_UNSAFE_RUN = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
_PREFIX_CHARS = 40


def _is_own_slug(identifier: str) -> bool:
    """Whether an id is used as it is: safe, and no name Windows reserves before a dot."""
    return bool(_SAFE.fullmatch(identifier)) and (
        identifier.partition(".")[0] not in _WINDOWS_RESERVED
    )


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def file_slug(identifier: str) -> str:
    """A file-name-safe, lowercase form of an id.

    A lowercase id of letters, digits, '.', '_' and '-' is used as it is (UUIDs and
    worker ids are); anything else becomes a readable prefix plus a digest of the
    exact id, so 'Job-A' and 'job-a' get different names.
    """
    if _is_own_slug(identifier):
        return identifier
    prefix = _UNSAFE_RUN.sub("-", identifier.lower()[:_PREFIX_CHARS]).strip("-")
    return f"{prefix or 'id'}-{_digest(identifier, 12)}"


class SlugRegistry:
    """Hands out unique slugs, stable for a given set of ids whatever order they come in."""

    def __init__(self, identifiers: list[str]) -> None:
        self._slugs: dict[str, str] = {}
        rewritten: list[str] = []
        # An id that is its own slug keeps it: two such ids cannot clash. Only the
        # others can, so only they are sorted, to make which of two clashing ids gets
        # the longer name independent of order (a large cluster has 100,000 ids).
        slugs = self._slugs
        for identifier in identifiers:
            if identifier not in slugs:
                if _is_own_slug(identifier):
                    slugs[identifier] = identifier
                else:
                    rewritten.append(identifier)
        taken = set(slugs) if rewritten else set()  # a million ids are often all their own
        for identifier in sorted(set(rewritten)):
            slug = file_slug(identifier)
            if slug in taken:
                slug = f"{slug}-{_digest(identifier, 32)}"
            taken.add(slug)
            self._slugs[identifier] = slug

    def __getitem__(self, identifier: str) -> str:
        return self._slugs[identifier]

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._slugs

"""Hide secret environment values a checkpoint stores in plain.

iris's RPCs answer `[REDACTED]` for environment values under secret-looking names,
but its checkpoint database keeps them as submitted. A capture from a checkpoint
applies the same rule, so neither kind of snapshot carries a secret.
"""

from __future__ import annotations

import re

REDACTED = "[REDACTED]"

# Words of a variable name that mark its value secret (AWS_SECRET_ACCESS_KEY, HF_TOKEN).
# Whole words only, so TOKENIZERS_PARALLELISM stays readable.
_SECRET_WORDS = frozenset(
    {"SECRET", "SECRETS", "TOKEN", "PASSWORD", "PASSWD", "PASSPHRASE", "CREDENTIAL"}
    | {"CREDENTIALS", "PRIVATE", "APIKEY", "AUTH", "COOKIE", "SESSION"}
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Values that are tokens whatever they are called: Hugging Face, GitHub, AWS key ids,
# OpenAI-style keys, Slack, JWTs.
_SECRET_VALUE = re.compile(
    r"^(hf_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{20,}|AKIA[0-9A-Z]{12,}"
    r"|sk-[A-Za-z0-9_-]{16,}|xox[abprs]-[A-Za-z0-9-]{10,}|eyJ[\w-]+\.[\w-]+\.[\w-]+)$"
)


def is_secret(name: str, value: str) -> bool:
    words = [word.upper() for word in _WORD.findall(name)]
    if _SECRET_WORDS.intersection(words) or (words and words[-1] == "KEY"):
        return True
    return bool(_SECRET_VALUE.match(value.strip()))


def environment(env_vars: dict[str, str]) -> tuple[dict[str, str], int]:
    """The variables with secret values replaced, and how many were replaced."""
    hidden = 0
    made: dict[str, str] = {}
    for name, value in env_vars.items():
        if value != REDACTED and is_secret(name, value):
            made[name] = REDACTED
            hidden += 1
        else:
            made[name] = value
    return made, hidden

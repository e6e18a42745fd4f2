"""Secrets as snapshots carry them: where each sits, the text around it, the secret bytes.

Every token here is made up for the tests (right shape, random letters); none is live.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Where = Literal["env", "metadata", "error", "log"]


@dataclass(frozen=True)
class Secret:
    where: Where
    text: str  # the value as it sits in the snapshot (for env and metadata: the value)
    secret: str  # the exact secret bytes that must not survive
    name: str = ""  # the variable or metadata key, for env and metadata

    @property
    def kept(self) -> str:
        """Text around the secret that must survive (for free text)."""
        return self.text.replace(self.secret, "")


_PEM_BODY = (
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
)
GITHUB_PAT = "ghp_" + "R8bZt2qLm9XwK4vN7cP1sD6fH3jY0uA5eG2i"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)

SECRETS: tuple[Secret, ...] = (
    # names that are secret-like: the whole value goes
    Secret("env", "hunter2", "hunter2", name="DB_PASSWORD"),
    Secret("env", "s3cr3t-value-1", "s3cr3t-value-1", name="API_KEY"),
    Secret("env", "plainvalue42", "plainvalue42", name="AWS_SECRET_ACCESS_KEY"),
    Secret("env", "sess-9f8e7d", "sess-9f8e7d", name="SESSION_ID"),
    Secret("env", "abc.def.ghi", "abc.def.ghi", name="oauthToken"),
    Secret("env", "MYPASS!word", "MYPASS!word", name="MYSQLPASSWORD"),
    Secret("env", "x-auth-value", "x-auth-value", name="HTTP_AUTH"),
    Secret("metadata", "k8s-secret-data", "k8s-secret-data", name="credentials"),
    Secret("metadata", "cookie-value-77", "cookie-value-77", name="session.cookie"),
    Secret("metadata", "id_rsa_contents", "id_rsa_contents", name="private-key"),
    Secret("metadata", "tok_123456", "tok_123456", name="slack-token"),
    # shapes in free text: only the secret part goes
    Secret(
        "error",
        f"bad key: -----BEGIN RSA PRIVATE KEY-----\n{_PEM_BODY}-----END RSA PRIVATE KEY----- end",
        "\n" + _PEM_BODY,
    ),
    Secret(
        "log",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU (cut short)",
        "\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU (cut short)",
    ),
    Secret("log", f"calling api with {JWT} as identity", JWT),
    Secret(
        "error", "request failed: Authorization: Bearer a1b2c3d4e5f6g7h8 denied", "a1b2c3d4e5f6g7h8"
    ),
    Secret(
        "log",
        "curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZA==' http://x",
        "dXNlcjpwYXNzd29yZA==",
    ),
    Secret("log", "got header bearer 9aZx.Qw_7-pLmNoRst from proxy", "9aZx.Qw_7-pLmNoRst"),
    Secret("error", "cannot reach postgres://admin:Tr0ub4dor@db.internal:5432/app", "Tr0ub4dor"),
    Secret("log", "pushing to https://ci:CiPush3rPass@gitlab.example/repo.git", "CiPush3rPass"),
    Secret("log", "using AWS key AKIAIOSFODNN7EXAMPLE for upload", "AKIAIOSFODNN7EXAMPLE"),
    Secret(
        "log",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    Secret("error", f"clone failed with {GITHUB_PAT}: 401", GITHUB_PAT),
    Secret(
        "log",
        "token gho_16C7e42F292c6912E7710c838347Ae178B4a in cache",
        "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    ),
    Secret(
        "log",
        "app token ghs_abcdEFGHijklMNOPqrstUVWXyz0123456789 expires",
        "ghs_abcdEFGHijklMNOPqrstUVWXyz0123456789",
    ),
    Secret(
        "log",
        "fine-grained github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz used",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    ),
    Secret("error", "gitlab said no to glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm", "glpat-Zx9Yw8Vu7Ts6Rq5Po4Nm"),
    Secret(
        "log",
        "slack bot xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp posting",
        "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp",
    ),
    Secret(
        "log",
        "user xoxp-2222222222-3333333333-qwerty12 logged",
        "xoxp-2222222222-3333333333-qwerty12",
    ),
    Secret(
        "error",
        "webhook https://hooks.slack.com/services/T0ABCDEFG/B0ABCDEFG/"
        "abcdefghijklmnopqrstuvwx failed",
        "T0ABCDEFG/B0ABCDEFG/abcdefghijklmnopqrstuvwx",
    ),
    Secret(
        "log", "charge with sk_live_4eC39HqLyjWDarjtT1zdp7dc ok", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    ),
    Secret("log", "restricted rk_live_51H8aBcDeFgHiJkLmNoP set", "rk_live_51H8aBcDeFgHiJkLmNoP"),
    Secret(
        "error",
        "maps error for key AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY quota",
        "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    ),
    Secret(
        "log",
        "downloading with hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh now",
        "hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh",
    ),
    Secret("log", "export GITHUB_TOKEN=plaintokenvalue-1; run", "plaintokenvalue-1"),
    Secret("log", "DB_PASSWORD: correct-horse-battery", "correct-horse-battery"),
    Secret(
        "error", 'config {"client_secret": "abc defghijk lm", "user": "bob"}', "abc defghijk lm"
    ),
    Secret("log", "login with password='p@ss w0rdw0rd' failed", "p@ss w0rdw0rd"),
    Secret("log", "set-cookie session=AbC123xYz; Path=/", "AbC123xYz"),
    Secret("error", "ApiKey=zzz999yyy888 rejected", "zzz999yyy888"),
)

# Ordinary lines: nothing in them may change.
ORDINARY = (
    "2026-11-29T02:13:37Z INFO train step 1200 loss=0.0312 lr=3e-4 throughput=1234.5 samples/s",
    "checked out commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a3f on main",
    "job 123e4567-e89b-12d3-a456-426614174000 scheduled on worker-07",
    "reading /data/shards/shard-00042.tfrecord (sha256 "
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08)",
    "KEYBOARD_LAYOUT=us MONKEY=george AUTHOR=ada TOKENIZER=bpe",
    "bearer authentication failed, retrying",
    "Basic configuration loaded from /etc/app/config.yaml",
    "Token refreshed successfully",
    "fetched https://pypi.example/simple/requests/ in 120 ms",
    'Traceback (most recent call last): File "train.py", line 42, in <module>',
    "OOMKilled: container exceeded memory limit 16Gi",
    "pip install torch==2.5.1 numpy==2.1.0",
    "worker-3 lost heartbeat after 3 attempts; marking unhealthy",
    "ghost process 4242 reaped; high watermark 12 GB",
)

"""pytest: the Python backend's signing code (signing.py) with a key made at test time; every cookie and URL it makes is
decided by the project's one verifier (test/signing/verify-cookies.ts, through its CLI test/signing/verify-cli.ts)."""

import datetime
import json
import os
import pathlib
import subprocess
import tempfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from signing import sign_title_cookies, sign_url

ROOT = pathlib.Path(__file__).resolve().parents[3]
KEY_ID = "K3PYTHONTEST1"
DOMAIN = "https://d111111abcdef8.cloudfront.net"
TITLE_1 = f"{DOMAIN}/out/v1/6e2f3c1a/*"
TITLE_2 = f"{DOMAIN}/out/v1/0a1b2c3d/*"
MANIFEST_1 = f"{DOMAIN}/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index.m3u8"
SEGMENT_1 = f"{DOMAIN}/out/v1/6e2f3c1a/9b8c7d6e/5f4e3d2c/index_1_0.ts?aws.manifestfilter=video_height%3A1-720"
MANIFEST_2 = f"{DOMAIN}/out/v1/0a1b2c3d/9b8c7d6e/5f4e3d2c/index.m3u8"
WITH_QUERY = f"{MANIFEST_1}?aws.manifestfilter=video_height%3A1-720&start=10&end=70"


def verify(public_pem, cases):
    """Decides each case with the verifier; returns name -> (allowed, reason)."""
    with tempfile.TemporaryDirectory(prefix="python-signing-") as tmp:
        path = pathlib.Path(tmp) / "cases.json"
        path.write_text(json.dumps({"publicKeys": {KEY_ID: public_pem}, "cases": cases}))
        out = subprocess.run(
            ["node", "-r", "ts-node/register/transpile-only", str(ROOT / "test/signing/verify-cli.ts"), str(path)],
            cwd=ROOT, env={**os.environ, "TS_NODE_PROJECT": str(ROOT / "tsconfig.dev.json")},
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    return {r["name"]: (r["allowed"], r["reason"]) for r in json.loads(out)["results"]}


@pytest.fixture(scope="module")
def decisions():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    now = datetime.datetime.now(datetime.timezone.utc)
    in_one_hour = now + datetime.timedelta(hours=1)
    a_minute_ago = now - datetime.timedelta(minutes=1)
    t = int(now.timestamp())

    cookies = sign_title_cookies(KEY_ID, private_pem, TITLE_1, in_one_hour)
    other = sign_title_cookies(KEY_ID, private_pem, TITLE_2, in_one_hour)
    expired = sign_title_cookies(KEY_ID, private_pem, TITLE_1, a_minute_ago)
    ip_bound = sign_title_cookies(KEY_ID, private_pem, TITLE_1, in_one_hour, ip_range="192.0.2.0/24")
    signed_url = sign_url(KEY_ID, private_pem, WITH_QUERY, in_one_hour)
    expired_url = sign_url(KEY_ID, private_pem, WITH_QUERY, a_minute_ago)
    cases = [
        {"name": "manifest", "time": t, "url": MANIFEST_1, "cookies": cookies},
        {"name": "segment", "time": t, "url": SEGMENT_1, "cookies": cookies},
        {"name": "other title", "time": t, "url": MANIFEST_2, "cookies": cookies},
        {"name": "after expiry", "time": int(in_one_hour.timestamp()) + 1, "url": MANIFEST_1, "cookies": cookies},
        {"name": "expired policy", "time": t, "url": MANIFEST_1, "cookies": expired},
        {"name": "tampered policy", "time": t, "url": MANIFEST_2, "cookies": {**cookies, "CloudFront-Policy": other["CloudFront-Policy"]}},
        {"name": "ip inside", "time": t, "url": MANIFEST_1, "cookies": ip_bound, "clientIp": "192.0.2.10"},
        {"name": "ip outside", "time": t, "url": MANIFEST_1, "cookies": ip_bound, "clientIp": "203.0.113.5"},
        {"name": "url", "time": t, "signedUrl": signed_url},
        {"name": "url query changed", "time": t, "signedUrl": signed_url.replace("end=70", "end=7000")},
        {"name": "url expired", "time": t, "signedUrl": expired_url},
    ]
    return cookies, signed_url, verify(public_pem, cases)


def test_cookies_are_the_three_cloudfront_cookies(decisions):
    cookies, _, _ = decisions
    assert sorted(cookies) == ["CloudFront-Key-Pair-Id", "CloudFront-Policy", "CloudFront-Signature"]
    assert cookies["CloudFront-Key-Pair-Id"] == KEY_ID


@pytest.mark.parametrize(
    "name, expected",
    [
        # The cookies open the title's manifest and segments, not another title; a tampered policy fails.
        ("manifest", (True, "allowed")),
        ("segment", (True, "allowed")),
        ("other title", (False, f"resource {TITLE_1} does not match {MANIFEST_2}")),
        ("tampered policy", (False, "signature does not match the policy")),
        # With an IP range: the viewer inside it only.
        ("ip inside", (True, "allowed")),
        ("ip outside", (False, "client IP 203.0.113.5 is not in 192.0.2.0/24")),
        ("url", (True, "allowed")),
        ("url query changed", (False, f"resource {WITH_QUERY} does not match {WITH_QUERY.replace('end=70', 'end=7000')}")),
    ],
)
def test_decision(decisions, name, expected):
    assert decisions[2][name] == expected


@pytest.mark.parametrize("name", ["after expiry", "expired policy", "url expired"])
def test_expired_fails(decisions, name):
    allowed, reason = decisions[2][name]
    assert allowed is False and reason.startswith("expired"), reason


def test_signed_url_keeps_the_service_query_strings(decisions):
    _, signed_url, _ = decisions
    assert signed_url.startswith(WITH_QUERY + "&Policy=")
    assert "&Signature=" in signed_url and signed_url.endswith(f"&Key-Pair-Id={KEY_ID}")

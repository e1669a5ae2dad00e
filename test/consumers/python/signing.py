"""The Python backend's signing code: botocore's CloudFrontSigner with a custom policy, and `cryptography` for the RSA
signature. README "Signing cookies in your backend" shows the part between the README markers (the jest test
test/signing/readme-snippets.test.ts checks that it is the same); test_signing.py runs it and checks its output with the
project's one verifier (test/signing/verify-cookies.ts)."""

# README: python begin
import base64

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def _signer(key_pair_id, private_key_pem):
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    # CloudFront verifies an RSA signature over the SHA-1 digest of the policy (PKCS#1 v1.5).
    return CloudFrontSigner(key_pair_id, lambda message: key.sign(message, padding.PKCS1v15(), hashes.SHA1()))


def _cloudfront_b64(data):
    return base64.b64encode(data).decode().replace("+", "-").replace("=", "_").replace("/", "~")


def sign_title_cookies(key_pair_id, private_key_pem, resource, expires, ip_range=None):
    """The three cookies (name -> value) for every file under `resource`, e.g. 'https://cdn.example.com/out/v1/abc/*',
    until `expires` (an aware datetime), optionally for one IP range ('192.0.2.0/24')."""
    signer = _signer(key_pair_id, private_key_pem)
    policy = signer.build_policy(resource, expires, ip_address=ip_range).encode()
    return {
        "CloudFront-Policy": _cloudfront_b64(policy),
        "CloudFront-Signature": _cloudfront_b64(signer.rsa_signer(policy)),
        "CloudFront-Key-Pair-Id": key_pair_id,
    }


def sign_url(key_pair_id, private_key_pem, url, expires, ip_range=None):
    """One URL (its query string, e.g. aws.manifestfilter, included) with Policy, Signature and Key-Pair-Id added."""
    signer = _signer(key_pair_id, private_key_pem)
    return signer.generate_presigned_url(url, policy=signer.build_policy(url, expires, ip_address=ip_range))
# README: python end

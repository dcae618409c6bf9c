"""Verifies a Voxdesk webhook delivery; run by WebhookDeliveryTests against real deliveries (a JSON on stdin)."""
# --- docs/webhooks.md: Python receiver (begin)
import base64
import hashlib
import hmac
import time


def verify_webhook(secret: str, msg_id: str, timestamp: str, signatures: str, body: str) -> bool:
    """Whether a delivery is authentic: a v1 signature matches and the timestamp is within five minutes."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False  # too old or too new: a replay
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.{body}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(version == "v1" and hmac.compare_digest(value, expected)
               for version, _, value in (signature.partition(",") for signature in signatures.split(" ")))
# --- docs/webhooks.md: Python receiver (end)


if __name__ == "__main__":
    import json
    import sys

    d = json.load(sys.stdin)
    print("valid" if verify_webhook(d["secret"], d["id"], d["timestamp"], d["signature"], d["body"]) else "invalid")

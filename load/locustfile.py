"""The street-wide event: members on phones sign in and check in by the QR link; staff open their pages.

Read by ``python -m load`` (``LOAD_SPEC``: the JSON written by ``load.prepare``). Each simulated person
has an address of its own in X-Forwarded-For (the server trusts the proxy on 127.0.0.1, as behind nginx).
There is one simulated person per account: each member of the spec once, each staff account once.
The users are ``FastHttpUser`` (geventhttpclient): python-requests' ``HttpUser`` needs several times the
CPU per request, and Locust runs on the same two cores as the server it measures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import FastHttpUser, between, task

SPEC = json.load(open(os.environ["LOAD_SPEC"], encoding="utf-8"))  # noqa: SIM115
_members = itertools.cycle(SPEC["members"])
_staff = itertools.cycle(SPEC["staff"])
_addresses = itertools.count(1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(FastHttpUser):
    abstract = True

    def on_start(self):
        n = next(_addresses)
        self.headers = {"X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                        "X-Forwarded-Proto": "https", "Accept-Language": "zh-CN"}
        self.log_in(self.username())

    def get(self, path: str, name: str):
        return self.client.get(path, name=name, headers=self.headers)

    def post_form(self, path: str, data: dict, name: str) -> bool:
        """Open the form, send it; a success is the redirect that follows it."""
        page = self.get(path, f"{name} (page)")
        token = CSRF.search(page.text or "")
        with self.client.post(path, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""},
                              headers={**self.headers, "Referer": f"https://{self.host_name()}{path}"}, name=name,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")
                return False
            return True

    def host_name(self) -> str:
        return self.host.split("://", 1)[1]

    def log_in(self, username: str) -> None:
        self.post_form("/accounts/login/", {"username": username, "password": SPEC["password"]}, "log in")


class Member(Person):
    """A member at the event: signs in, scans the QR code (again a few seconds later if it failed), looks at
    his or her service page, then keeps the phone in the pocket, opening the page again now and then."""

    fixed_count = len(SPEC["members"])

    def wait_time(self) -> float:
        return random.uniform(1, 5) if not self.checked_in else random.uniform(30, 90)

    def username(self) -> str:
        return next(_members)

    def on_start(self):
        self.checked_in = False
        super().on_start()

    @task
    def check_in_then_look(self):
        if not self.checked_in:
            self.checked_in = self.post_form(SPEC["scan"], {}, "check in")
        self.get("/service/mine/", "my service")


class Staff(Person):
    """A member of staff at a screen: opens one of his or her pages, looks at it for 1–3 s, opens the next
    (the home page, the service pages, the event's page, members, points, the request queue, in turn)."""

    fixed_count = len(SPEC["staff"])
    wait_time = between(1, 3)

    def username(self) -> str:
        return next(_staff)

    def on_start(self):
        self.pages = itertools.cycle(SPEC["staff_pages"])
        super().on_start()

    @task
    def open_page(self):
        path = next(self.pages)
        self.get(path, f"staff {path}")

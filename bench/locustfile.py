"""Locust users for bench/load.py, which starts locust with one of them and reads its CSV.

``PageVisitor``: many visitors asking for one page (OIH_BENCH_PATH, with the cookies in
OIH_BENCH_COOKIE) at a fixed total rate. Each asks OIH_BENCH_USER_RATE times a second
whatever the answers' speed (locust's ``constant_throughput``), so the offered load stays
the same while the server is slow and the queueing shows in the latency.

``Patient``: one patient after another walks the whole self-check as a browser does, every
cookie kept: the start page, the privacy choice (save), each question of a walk from
OIH_BENCH_WALKS, the answers page, submit, the result page with its reference code. Every
fourth presses Submit a second time and must see the same code. What each patient was
shown goes to OIH_BENCH_OUT when the run ends, for bench/load.py to check against the rows.

The server thinks it is behind a TLS proxy (X-Forwarded-Proto: https), so its cookies are
Secure, and an HTTP client sends them over HTTPS only. The patient's cookie jar keeps them
(setting, replacing and deleting them as the server says), and every request carries all
of them, as a browser's would over the TLS connection the proxy ends.
"""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import FastHttpUser, HttpUser, constant, constant_throughput, events, task

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'class="reference-code[^"]*">\s*([\w-]+)')
QUESTION = re.compile(r"^/check/(?!answers/|emergency/|result/|expired/)(\w+)/$")
PROXY = {"X-Forwarded-Proto": "https"}

outcomes: list[dict] = []
patient_numbers = itertools.count(1)


class PageVisitor(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("OIH_BENCH_USER_RATE", "1")))

    @task
    def page(self) -> None:
        headers = {**PROXY, "Cookie": os.environ.get("OIH_BENCH_COOKIE", "")}
        path = os.environ["OIH_BENCH_PATH"]
        with self.client.get(path, headers=headers, name=path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class FlowError(Exception):
    pass


class Patient(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        with open(os.environ["OIH_BENCH_WALKS"]) as file:
            self.walks = json.load(file)

    @task
    def self_check(self) -> None:
        number = next(patient_numbers)
        walk = self.walks[number % len(self.walks)]
        self.client.cookies.clear()
        # A distinct address per patient, as the proxy would append it: the limit on saved
        # submissions counts per address.
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.token = ""
        outcome = {"answers": walk, "code": None, "second_code": None, "error": None}
        try:
            self.walk(walk, outcome, resubmit=number % 4 == 0)
        except FlowError as error:
            outcome["error"] = str(error)
        outcomes.append(outcome)

    def walk(self, walk: dict, outcome: dict, *, resubmit: bool) -> None:
        self.get("/check/", "start")
        location = self.post("/check/", {"privacy": "save"}, "start")
        while match := QUESTION.match(location):
            question = match.group(1)
            if question not in walk:
                raise FlowError(f"{location}: a page this walk has no answer for")
            self.get(location, "question")
            location = self.post(location, {question: walk[question]}, "question")
        if location == "/check/answers/":
            self.get(location, "answers")
            location = self.post(location, {}, "submit")
        if location not in ("/check/result/", "/check/emergency/"):
            raise FlowError(f"ended at {location}")
        outcome["code"] = self.code(location)
        if resubmit and location == "/check/result/":
            again = self.post("/check/answers/", {}, "submit again")
            outcome["second_code"] = self.code(again)

    def headers(self) -> dict[str, str]:
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
        return {**PROXY, "X-Forwarded-For": self.address, "Cookie": cookies}

    def get(self, path: str, name: str) -> str:
        with self.client.get(
            path, headers=self.headers(), name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                raise FlowError(f"GET {path}: HTTP {response.status_code}")
            if match := TOKEN.search(response.text):
                self.token = match.group(1)
            return response.text

    def post(self, path: str, form: dict, name: str) -> str:
        origin = f"https://{self.host.removeprefix('http://')}"
        headers = {**self.headers(), "Origin": origin, "Referer": origin + path}
        data = {"csrfmiddlewaretoken": self.token, **form}
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
                raise FlowError(f"POST {path}: HTTP {response.status_code}")
            return response.headers["Location"]

    def code(self, path: str) -> str:
        match = CODE.search(self.get(path, "result"))
        if not match:
            raise FlowError(f"{path}: no reference code")
        return match.group(1)


@events.test_stop.add_listener
def write_outcomes(environment, **kwargs) -> None:
    if path := os.environ.get("OIH_BENCH_OUT"):
        with open(path, "w") as file:
            json.dump(outcomes, file)

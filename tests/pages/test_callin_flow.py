"""One call-in from flag to resolution, through HTTP only, on the demo data.

ada (a reader) flags ben's demo reply; a moderator opens the case from the queue and
sends a call-in started from the page's template; ben answers from his inbox by
revising; the moderator sees the diff and resolves the case as revised.  The log and
the thread then show every step.
"""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

BEN_TEXT = "Honestly, anyone who still defends liberals is part of the problem."
REVISED = (
    "I get frustrated when people defend liberal policies I think failed. "
    "Could you say what you see in them?"
)


@pytest.fixture
def demo(seeded):
    call_command("seed_demo", verbosity=0)


def sign_in(username, password):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": username, "password": password, "next": "/"}
    )
    assert response.status_code == 302, f"{username} could not sign in"
    return client


def html_of(response, status=200):
    assert response.status_code == status
    return response.content.decode()


def flashes(response):
    box = re.search(r'<ul class="messages" role="status">(.*?)</ul>', html_of(response), re.S)
    return [unescape(m) for m in re.findall(r"<li[^>]*>(.*?)</li>", box.group(1), re.S)]


def comment_item(html, author):
    """(id, HTML) of the one comment by ``author`` on a thread page."""
    found = re.findall(
        rf'(<li id="c(\d+)"[^>]*>\s*<article aria-label="Comment by {author}">.*?</li>)',
        html,
        re.S,
    )
    assert len(found) == 1, f"expected one comment by {author}"
    li, pk = found[0]
    return int(pk), li


def field(html, name):
    value = re.search(rf'name="{name}" value="([^"]*)"', html)
    return unescape(value.group(1))


def textarea(html, element_id):
    return unescape(re.search(rf'id="{element_id}"[^>]*>(.*?)</textarea>', html, re.S).group(1))


def test_call_in_from_flag_to_revision(demo):
    # 1. ada reads the thread and flags ben's reply.
    ada = sign_in("ada", "callin-reader")
    thread = html_of(ada.get("/essays/calling-in/"))
    pk, li = comment_item(thread, "ben")
    assert BEN_TEXT in li
    flag_url = f"/comments/{pk}/flag/"
    assert f'href="{flag_url}"' in li
    assert BEN_TEXT in html_of(ada.get(flag_url))
    response = ada.post(flag_url, {"reason": "heated", "note": "Lumps everyone together."})
    assert response.status_code == 302
    assert response["Location"] == f"/essays/calling-in/#c{pk}"

    # 2. The moderator finds it in the queue and opens the case.
    moderator = sign_in("moderator", "callin-moderator")
    queue = html_of(moderator.get("/moderation/"))
    rows = [row for row in queue.split("<tr") if "<strong>ben</strong>" in row]
    assert len(rows) == 1
    case_url = re.search(r'href="(/moderation/cases/(\d+)/)"', rows[0]).group(1)
    case_id = int(case_url.rstrip("/").rsplit("/", 1)[1])
    case_page = html_of(moderator.get(case_url))
    assert "Heated (likely to escalate)" in case_page
    assert "Lumps everyone together." in case_page
    assert BEN_TEXT in case_page

    # 3. ... and sends a call-in, starting from the page's text.
    text = textarea(case_page, "call-in-message")
    assert text.startswith("Hello ben,")
    assert "heated" in text
    response = moderator.post(
        f"{case_url}call-in/",
        {"version": field(case_page, "version"), "body": text},
        follow=True,
    )
    assert response.redirect_chain == [(case_url, 302)]
    assert flashes(response) == ["The call-in is sent privately to the author."]
    assert "Waiting for the author" in html_of(response)

    # 4. ben finds it in his inbox and revises his comment there.
    ben = sign_in("ben", "callin-reader")
    inbox = html_of(ben.get("/inbox/"))
    assert f'href="/inbox/{case_id}/"' in inbox
    assert '<span class="badge">New</span>' in inbox
    conversation = html_of(ben.get(f"/inbox/{case_id}/"))
    assert "Hello ben," in conversation
    assert not re.search(r"\bada\b", conversation)  # who flagged stays private
    assert "Lumps everyone together." not in conversation
    assert BEN_TEXT in textarea(conversation, "revise-body")
    response = ben.post(f"/inbox/{case_id}/revise/", {"body": REVISED}, follow=True)
    assert flashes(response) == ["Your comment is revised; the moderators are told."]
    assert '<span class="badge">New</span>' not in html_of(ben.get("/inbox/"))

    # 5. The moderator sees the change as a diff and resolves the case as revised.
    case_page = html_of(moderator.get(case_url))
    assert "Author answered" in case_page
    diff = re.search(r'<p class="diff"[^>]*>(.*?)</p>', case_page, re.S).group(1)
    assert "<del>" in diff and "<ins>" in diff and "@@" not in diff
    response = moderator.post(
        f"{case_url}resolve/",
        {"version": field(case_page, "version"), "outcome": "revised", "reason": "Revised."},
        follow=True,
    )
    assert flashes(response) == ["Case resolved."]
    assert "Revised by its author" in html_of(response)
    assert f'href="{case_url}"' not in html_of(moderator.get("/moderation/"))

    # 6. The log shows each step, in order (it lists the newest first).
    log = html_of(moderator.get(f"/moderation/log/?case={case_id}"))
    body = log[log.index("<tbody>") : log.index("</tbody>")]
    rows = body.split("<tr>")[1:]
    said = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1] for row in rows]
    actions = [re.sub(r"<[^>]+>", "", sentence).split(":")[0] for sentence in said]
    assert list(reversed(actions)) == [
        "ada opened the case",
        "ada flagged the comment",
        "moderator sent the author a call-in",
        "ben revised the comment",
        "moderator resolved the case",
    ]

    # 7. Readers see the revised text, marked as edited.
    _, li = comment_item(html_of(Client().get("/essays/calling-in/")), "ben")
    assert REVISED in li
    assert BEN_TEXT not in li
    assert '<span class="edited">edited</span>' in li
    assert "Closed: revised by its author." in html_of(ben.get("/inbox/"))

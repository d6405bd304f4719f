"""A scoped component (`@acme/ui-kit`, an npm package) is reachable wherever the bot links to its releases."""

import re

from releasebot.comment import render_comment
from releasebot.links import Links
from releasebot.model import Release
from tests.unit.test_results_api import shipped

SCOPED = ("@acme/ui-kit", "4.1.0")
PUBLIC = "https://releasebot.example.com"


def hrefs(page: str) -> list[str]:
    return re.findall(r'href="(/releases/[^"]*)"', page)


def test_every_release_link_on_the_index_leads_to_a_page(client, store):
    store.save(shipped(53, SCOPED, ("im", "24.500.0")))
    links = hrefs(client.get("/releases").get_data(as_text=True))
    assert "/releases/@acme/ui-kit" in links and "/releases/@acme/ui-kit/4.1.0" in links
    assert [(link, client.get(link).status_code) for link in links] == [(link, 200) for link in links]


def test_the_version_page_links_its_component_and_notes(client, store):
    store.save(shipped(53, SCOPED))
    page = client.get("/releases/@acme/ui-kit/4.1.0").get_data(as_text=True)
    assert "Shipped in @acme/ui-kit 4.1.0" in page
    downloads = re.findall(r'href="(/api/releases/[^"]*)"', page)
    assert downloads and all(client.get(link.replace("&amp;", "&")).status_code == 200 for link in downloads)
    assert all(client.get(link).status_code == 200 for link in hrefs(page))


def test_the_api_answers_a_scoped_component_by_its_name(client, store):
    store.save(shipped(53, SCOPED))
    answer = client.get("/api/releases/@acme/ui-kit/4.1.0")
    assert answer.status_code == 200 and answer.json["component"] == "@acme/ui-kit"
    assert [task["taskId"] for task in answer.json["tasks"]] == [53]
    assert client.get("/api/releases/@ACME/UI-KIT/4.1.0?format=markdown").status_code == 200


def test_the_comments_link_with_public_url_leads_to_the_version_page(client, store):
    store.save(shipped(53, SCOPED))
    release = Release(*SCOPED, "deployed-in", 9053, 7, "2026-06-10T14:51:00+02:00")
    comment = render_comment("{releases}\n{marker}", [release], 53,
                             release_url=Links(public_url=PUBLIC).release_url)
    [url] = re.findall(r"\[URL=([^\]]+)\]", comment)
    assert url == f"{PUBLIC}/releases/@acme/ui-kit/4.1.0" and client.get(url.removeprefix(PUBLIC)).status_code == 200


def test_a_link_posted_with_the_scope_encoded_still_leads_to_the_page(client, store):
    store.save(shipped(53, SCOPED))
    assert client.get("/releases/%40acme%2Fui-kit/4.1.0").status_code == 200


def test_a_plain_component_and_version_cannot_reach_a_scoped_one(client, store):
    store.save(shipped(53, SCOPED))
    assert client.get("/releases/acme/ui-kit").status_code == 404
    listing = client.get("/api/releases/@acme/ui-kit").json  # the scoped component's versions, not @acme's
    assert listing["component"] == "@acme/ui-kit" and [r["version"] for r in listing["releases"]] == ["4.1.0"]

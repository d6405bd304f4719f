"""Every example of the extraction issue, read by the shipped rules as a careful reader would."""

import pytest

from releasebot.comment import marker
from releasebot.extract import extract_releases
from releasebot.model import Message
from releasebot.rules import read

IM = [("im", "24.500.0")]

MESSAGES = [
    # invented components: words before a number that are not components
    ("deployed to prod at 09.15", []),
    ("released with a 2.5 MB limit", []),
    ("rolled out to Android 14.1 users", []),
    ("deployed im 24.500.0, load average 1.25, took 3.5 minutes", IM),
    # text handling
    ("[LIST][*]crm 24.300.1 deployed[*]ui 3.1.0 deployed[/LIST]", [("crm", "24.300.1"), ("ui", "3.1.0")]),
    ("[P]deployed in im 24.500.0[/P][P]3 more tasks are waiting[/P]", IM),
    ("[TABLE][TR][TD]deployed in im 24.500.0[/TD][TD]3[/TD][/TR][/TABLE]", IM),
    ("deployed in [S]im 24.400.0[/S] im 24.500.0", IM),
    ("[S]deployed in im 24.500.0[/S] not yet, sorry", []),
    ("~~deployed in im 24.400.0~~ deployed in im 24.500.0", IM),
    ("deployed in im\u00a024.500.0", IM),
    ("deployed\u202fin im\u200924.500.0\u200b", IM),
    ("deployed in im\u2007v24.500.0", IM),
    ("**im** `24.500.0` deployed", IM),
    ("__Deployed__ in `im 24.500.0`", IM),
    ("*Deployed* _im_ 24.500.0", IM),
    # questions, plans, conditions, negations
    ("was it deployed in im 24.500.0?", []),
    ("it'll be deployed in im 24.500.0 tomorrow", []),
    ("once it is released in im 24.500.0 we close this", []),
    ("im 24.500.0 went out without this fix", []),
    ("выложено в im 24.500.0?", []),
    ("должно быть выложено в im 24.500.0", []),
    ("please deploy im 24.500.0", []),
    # other verbs
    ("Fixed in im 24.500.0", IM),
    ("Included in im 24.500.0.", IM),
    ("This landed in im 24.500.0", IM),
    ("It went out in im 24.500.0 yesterday", IM),
    ("im 24.500.0 is live", IM),
    ("im 24.500.0 promoted to production", IM),
    ("The fix made it into im 24.500.0", IM),
    ("im 24.500.0 залито на прод", IM),
    ("Вошло в релиз im 24.500.0", IM),
    ("Исправлено в версии 24.500.0 модуля im", IM),
    ("Зарелизили im 24.500.0", IM),
    ("Раскатили im 24.500.0 на все порталы", IM),
    ("im 24.500.0 уехало в прод", IM),
    ("Выпущен im 24.500.0", IM),
    # words and punctuation between verb and pair, and the pair before the verb
    ("successfully deployed auth v2.8.0 to production", [("auth", "2.8.0")]),
    ("Deployed: im 24.500.0", IM),
    ("Deployed → im 24.500.0", IM),
    ("Deployed — im 24.500.0", IM),
    ('Deployed "im 24.500.0"', IM),
    ("Deployed (im 24.500.0), closing", IM),
    ("24.500.0 (im) is live", IM),
    ("Выложена версия 24.500.3 модуля im", [("im", "24.500.3")]),
    # CI shapes
    ("Released im@24.500.0", IM),
    ("Deployed registry.example.com/team/im:24.500.0 to prod", IM),
    ("Deployed tag im-24.500.0", IM),
    ("Deployment finished\nService: im\nVersion: 24.500.0\nEnvironment: production", IM),
    ("Deployment failed\nService: im\nVersion: 24.500.0\nEnvironment: production", []),
    # lists
    ("Deployed to production:\n- im 24.500.0\n- ui 3.1.0", [*IM, ("ui", "3.1.0")]),
    ("Deployed im 24.500.0, ui 3.1.0, and crm 24.300.1", [*IM, ("ui", "3.1.0"), ("crm", "24.300.1")]),
    ("deployed in im 24.500.0 and in ui 3.1.0", [*IM, ("ui", "3.1.0")]),
    ("выложено в im 24.500.0 и в ui 3.1.0", [*IM, ("ui", "3.1.0")]),
    ("Выкатили im 24.500.0, а также ui 3.1.0", [*IM, ("ui", "3.1.0")]),
    ("Shipped im 24.500.0 / ui 3.1.0 + crm 24.300.1", [*IM, ("ui", "3.1.0"), ("crm", "24.300.1")]),
    ("Shipped im 24.500.0 and ui 3.1.0, but crm 24.300.1 failed to deploy", [*IM, ("ui", "3.1.0")]),
    ("im 24.500.0 is live, but this change is not part of it", []),
    # shapes
    ("Deployed ui 3.2.0-rc.1", [("ui", "3.2.0-rc.1")]),
    ("Released billing 1.4.0+build.45", [("billing", "1.4.0+build.45")]),
    ("Released payments 2024.11.2 and mobile 24.900.1.1", [("payments", "2024.11.2"), ("mobile", "24.900.1.1")]),
    ("Published acme.crmsync 1.6.0", [("acme.crmsync", "1.6.0")]),
    ("Released 1c-exchange 2.1.1", [("1c-exchange", "2.1.1")]),
    ("Published @acme/ui-kit@4.1.0 to npm", [("@acme/ui-kit", "4.1.0")]),
    ("deployed im 24.500.0 on 25.11.2026 to 10.0.0.15", IM),
    ("deployed to 192.168.1.10 and 10.0.0.15", []),
    # rollbacks and CI bots
    ("rolled back im 24.500.0", []),
    ("откатили im 24.500.0", []),
    ("✅ Deploy to production succeeded\nacme/im · tag v24.500.0 · commit 9f3c2ab \"Fix send\"", IM),
    ("❌ Deploy to production failed\nacme/im · tag v24.500.0 · commit 9f3c2ab", []),
    ("SUCCESS: Job 'im-deploy-prod [#412]': im 24.500.0 deployed", IM),
    ("FAILURE: Job 'im-deploy-prod [#413]': im 24.500.0", []),
    ("Application im is now running new version of deployments manifests.\nImage: registry/team/im:24.500.0", IM),
    ("Deploy im release 24.500.0 to Production has completed successfully.", IM),
    ("Deploy im release 24.500.0 to Production is awaiting approval", []),
    # test environments, and a remark after the statement
    ("deployed im 24.500.0 to staging", []),
    ("выкатили im 24.500.0 на тестовый стенд", []),
    ("deployed im 24.500.0 to staging and production", IM),
    ("Landed in im 24.500.0 - customers should see the fix now", IM),
    ("Задеплоили im 24.500.0, двойное списание больше не воспроизводится", IM),
    ("deployed im 24.500.0 and will deploy ui 3.1.0 tomorrow", IM),
    # Russian with the verb after the pair, mixed
    ("релиз crm 25.100.3 выкачен на прод", [("crm", "25.100.3")]),
    ("crm 25.100.3: версия уже на бою", [("crm", "25.100.3")]),
    ("Задеплоили im 24.500.0 на prod, smoke tests green", IM),
]


@pytest.mark.parametrize(("text", "expected"), MESSAGES, ids=[text[:40] for text, _ in MESSAGES])
def test_a_message_names_what_a_careful_reader_sees(shipped, text, expected):
    assert sorted((m.component, m.version) for m in read(shipped, text).matches) == sorted(expected)


def chat(*texts):
    """Messages newest first, as the API pages them."""
    count = len(texts)
    return [Message(count - n, 20294, text, f"2026-06-10T14:{count - n:02}:00+02:00") for n, text in enumerate(texts)]


def found(rules, *texts):
    return sorted((r.component, r.version) for r in extract_releases(rules, chat(*texts)))


def test_a_later_hotfix_phrased_differently_wins(shipped):
    assert found(shipped, "hotfix: im 24.500.1 is live now", "deployed in im 24.500.0") == [("im", "24.500.1")]


def test_a_rollback_newer_than_the_deploy_withdraws_the_component(shipped):
    assert found(shipped, "rolled back im 24.500.0, investigating", "deployed in im 24.500.0 and ui 3.1.0") \
        == [("ui", "3.1.0")]


def test_a_deploy_newer_than_the_rollback_counts(shipped):
    assert found(shipped, "deployed im 24.500.1", "откатили im 24.500.0", "deployed in im 24.500.0") \
        == [("im", "24.500.1")]


def test_a_reply_quoting_an_announcement_and_taking_it_back_withdraws_it(shipped):
    reply = "[QUOTE]deployed in im 24.500.0[/QUOTE]no, that was the old build, it is not deployed anywhere yet"
    assert found(shipped, reply, "deployed in im 24.500.0") == []


def test_a_reply_quoting_an_announcement_to_thank_keeps_it(shipped):
    assert found(shipped, "[QUOTE]deployed in im 24.500.0[/QUOTE]great, thanks!", "deployed in im 24.500.0") == IM


def test_another_products_version_mentioned_in_passing_is_not_this_tasks_release(shipped):
    assert found(shipped, "nginx 1.25.3 was deployed on the balancers, unrelated", "deployed in im 24.500.0") == IM


def test_a_person_quoting_the_bots_comment_is_heard(shipped):
    bot = f"[B]Shipped in:[/B] crm 24.300.1\n[I]{marker([])}[/I]"
    reply = f"[QUOTE]{bot}[/QUOTE]wrong, it was deployed in crm 24.300.2"
    assert found(shipped, reply, "deployed in crm 24.300.1") == [("crm", "24.300.2")]


def test_a_rollback_in_the_same_message_withdraws_only_what_it_names(shipped):
    assert found(shipped, "deployed crm 25.1.0 and rolled back ui 3.2.0", "deployed ui 3.2.0") == [("crm", "25.1.0")]

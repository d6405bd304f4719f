"""Each kind of message the reading generalizes to, read as the worker reads a chat (newest first, one
release per component, what newer messages take back withdrawn). The texts are the project's own, written
for these tests: the labelled sets under tests/data/ measure how far the reading generalizes."""

import pytest

from releasebot.extract import extract_releases
from releasebot.model import Message


def chat(shipped, *texts: str) -> list[tuple[str, str]]:
    """What the worker's scan finds in a chat given oldest first."""
    messages = [Message(number, 100 + number % 3, text, "2026-06-10T14:51:00+02:00")
                for number, text in enumerate(texts, 1)]
    return sorted((r.component, r.version) for r in extract_releases(shipped, reversed(messages)))


@pytest.mark.parametrize("earlier, text, expected", [
    ("deployed billing 2.4.0", "correction: not billing 2.4.0 but billing 2.4.1, the first was pulled",
     [("billing", "2.4.1")]),
    ("выкатили ui 3.1.0", "уточнение: не ui 3.1.0, а ui 3.1.1 - она на проде", [("ui", "3.1.1")]),
    ("deployed auth 7.0.2", "wrong service, sorry: it's billing, not auth. billing 7.1.0 is live; auth 7.0.2 has "
     "nothing to do with this task", [("billing", "7.1.0")]),
])
def test_a_correction_inside_one_message_replaces_what_it_corrects(shipped, earlier, text, expected):
    assert chat(shipped, earlier, text) == expected


@pytest.mark.parametrize("earlier, text", [
    ("ledger 7.2.0 на проде", "ой, не 7.2.0, а ledger 7.2.1 - 7.2.0 был неделю назад"),
    ("ledger 7.2.0 is live", "typo above: not 7.2.0 but 7.2.1"),
])
def test_a_correction_puts_its_version_in_place_of_the_announced_one(shipped, earlier, text):
    assert chat(shipped, earlier, text, "ok, checked") == [("ledger", "7.2.1")]


@pytest.mark.parametrize("text", [
    "в проде ledger 7.2.0... точнее 7.2.1, опечатался",
    "ledger 7.2.0 is live, I mean ledger 7.2.1",
    "deployed ledger 7.2.0 to prod - edit: 7.2.1, the 7.2.0 build was skipped",
    "Поправка: в прод уехал не ledger 7.2.0, а ledger 7.2.1 - 7.2.0 мы собрали, но не катили.",
])
def test_a_message_correcting_itself_names_the_corrected_version(shipped, text):
    assert chat(shipped, text) == [("ledger", "7.2.1")]


def test_a_correction_naming_the_version_alone_corrects_the_announcement_of_its_component(shipped):
    assert chat(shipped, "imopenlines 24.300.2 на проде", "поправка: не 24.300.2, а 24.300.3") == \
        [("imopenlines", "24.300.3")]


def test_a_rollback_does_not_take_the_next_statement_for_a_list_of_what_it_rolled_back(shipped):
    assert chat(shipped, "ledger 7.1.2 wegen Regression zurückgerollt, ledger 7.1.3 ist jetzt live.") == \
        [("ledger", "7.1.3")]


@pytest.mark.parametrize("text", [
    "reverted sso 1.4.0 and gateway 2.2.3",
    "откатили sso 1.4.0 и gateway 2.2.3 после инцидента",
    "Rolled back sso 1.4.0, gateway 2.2.3 and the im 24.500.0 hotfix",
])
def test_a_rollback_naming_several_pairs_withdraws_each(shipped, text):
    assert chat(shipped, "deployed sso 1.4.0, gateway 2.2.3 and crm 25.0.0", text) == [("crm", "25.0.0")]


@pytest.mark.parametrize("texts", [
    ("Задеплоил на stage ui 3.2.0, тестируйте",),
    ("выкатили ui 3.2.0 на staging", "prod on Thursday"),
    ("Wdrożyłem sklep-ui 3.2.0 na stage, testujcie",),
    ("ui 3.2.0 ist auf der Testumgebung, Produktion folgt nach der Abnahme",),
])
def test_a_test_environment_in_any_language_is_not_a_release(shipped, texts):
    assert chat(shipped, *texts) == []


def test_a_cd_app_named_for_its_environment_is_its_image_component(shipped):
    card = ("Application payments-prod is now running new version of deployments manifests.\n"
            "Image: registry.example.com/fin/payments:3.2.1")
    assert chat(shipped, card) == [("payments", "3.2.1")]


def test_the_old_version_a_cd_tool_reports_running_after_a_rollback_is_not_a_release(shipped):
    assert chat(shipped,
                "Application payments-prod has been successfully synced.\n"
                "Image: registry.example.com/fin/payments:3.2.1",
                "Rolled back to 3.2.0, the fix needs another approach",
                "Application payments-prod has been successfully synced.\n"
                "Image: registry.example.com/fin/payments:3.2.0",
                ) == []


@pytest.mark.parametrize("text, expected", [
    ("mobile 8.3.0 reached 100% of users this morning", ("mobile", "8.3.0")),
    ("mobile 8.3.0 is in the stores now", ("mobile", "8.3.0")),
    ("im 24.600.0 вышла, у всех клиентов уже есть", ("im", "24.600.0")),
    ("Обновилось на облаке: tasks 24.310.2", ("tasks", "24.310.2")),
    ("Доехало до прода в ui-core 3.7.1", ("ui-core", "3.7.1")),
    ("the fix is in notifier 1.9.2, live since noon", ("notifier", "1.9.2")),
    ("It's in the wild: rest-api 3.3.0", ("rest-api", "3.3.0")),
])
def test_state_and_arrival_phrasing_reads_as_a_release(shipped, text, expected):
    assert chat(shipped, text) == [expected]


@pytest.mark.parametrize("text", [
    "FYI: crm-sync 1.8.2 went live this morning, please ask the customer to update the connector",
    "chat-widget 3.4.0 is live. Could you please ask the customer to clear the cache?",
])
def test_a_remark_to_people_does_not_stop_the_announcement_beside_it(shipped, text):
    assert len(chat(shipped, text)) == 1


def test_a_short_line_over_a_release_heading_is_its_title(shipped):
    notes = "Shipped to prod 🎉\n\n## ledger 7.2.0 (2026-03-02)\n### Fixed\n- thumbnails for HEIC uploads (#412)"
    assert chat(shipped, notes) == [("ledger", "7.2.0")]
    assert chat(shipped, "Deployed to staging 🧪\n\n## ledger 7.3.0\n### Fixed\n- a crash") == []


def test_a_release_heading_is_read_with_the_lines_right_under_it(shipped):
    notes = "## ledger 7.2.0\nReleased to all users via auto-update.\n### Fixed\n- Freezes on macOS 14.4 (this task)"
    assert chat(shipped, notes) == [("ledger", "7.2.0")]


def test_a_changelog_pasted_under_shipped_to_production_names_each_version_heading(shipped):
    text = ("**Shipped to production:**\n\n## crm 25.101.0\n- deal card keeps custom fields\n\n"
            "## im 24.501.0\n- read receipts in big group chats")
    assert chat(shipped, text) == [("crm", "25.101.0"), ("im", "24.501.0")]


@pytest.mark.parametrize("text, expected", [
    ("| Component | Was | Now | Note |\n|---|---|---|---|\n| ledger | 7.1.9 | 7.2.0 | выкачено |\n"
     "| fmt | 1.9.1 | 1.9.1 | без изменений |", [("ledger", "7.2.0")]),
    ("ledger 7.1.9 → 7.2.0 is live", [("ledger", "7.2.0")]),
])
def test_a_from_and_to_version_side_by_side_names_the_version_it_went_to(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_markdown_table_counts_the_rows_in_production_only(shipped):
    text = ("| component | version | env |\n|---|---|---|\n| gateway | 8.2.0 | prod ✅ |\n"
            "| gateway-admin | 8.3.0-rc.1 | stage |")
    assert chat(shipped, text) == [("gateway", "8.2.0")]


def test_a_status_recap_counts_the_items_in_production(shipped):
    text = "Итоги недели:\n- crm 24.305.0 - прод\n- im 24.505.0 - прод\n- disk 24.210.0 - пока на стейдже"
    assert chat(shipped, text) == [("crm", "24.305.0"), ("im", "24.505.0")]


@pytest.mark.parametrize("text, expected", [
    ("Helm upgrade succeeded for release production/voximplant.v12 with chart voximplant@24.50.1",
     ("voximplant", "24.50.1")),
    ("GitLab\nDeploy to production succeeded\nbx/landing with job #61002 by Olga Kim\nlanding 3.2.4",
     ("landing", "3.2.4")),
    ("✅ Deploy to production succeeded\nacme/billing-api · tag v4.2.0 · commit 9f3c2ab", ("billing-api", "4.2.0")),
    ("Bamboo: Deployment of release 6.4.1 of 'reporting' to environment 'Production' was successful.",
     ("reporting", "6.4.1")),
])
def test_ci_and_cd_default_texts_are_read_out_of_the_box(shipped, text, expected):
    assert chat(shipped, text) == [expected]


@pytest.mark.parametrize("text", [
    "Deployment of release billing-api-4.8.0 on environment QA succeeded.",
    "▲ Vercel Preview deployment ready (web_frontend 12.4.0-beta.1)",
    "✅ Build #9921 passed: reports 24.61.0 (unit + integration)",
])
def test_ci_texts_that_are_not_releases_are_not_read_as_one(shipped, text):
    assert chat(shipped, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Deploy finished ✅\nService: ledger · Image tag: 7.2.0 · Environment: production", ("ledger", "7.2.0")),
    ("🚀 Deployment to Production succeeded\nacme/ledger · pipeline #4410 · tag 7.2.0", ("ledger", "7.2.0")),
    ("Release 7.2.0 was deployed to production for this project\nledger\n4 commits · 2 authors", ("ledger", "7.2.0")),
    ("Octopus Deploy\nSuccess\nLedger release 7.2.0 to Production (prod-eu-2)", ("ledger", "7.2.0")),
    ("ledger » deploy-production - #212 Success after 4 min 10 sec\nVERSION=7.2.0", ("ledger", "7.2.0")),
    ("ledger 7.2.0 -> prod", ("ledger", "7.2.0")),
    ("Deploy ledger to production ✅ version 7.2.0", ("ledger", "7.2.0")),
    ("$ helm upgrade --install ledger acme/ledger --version 7.2.0 -n prod\nRelease \"ledger\" has been upgraded. "
     "Happy Helming!\nNAME: ledger\nNAMESPACE: prod\nSTATUS: deployed\nREVISION: 12", ("ledger", "7.2.0")),
    ("PyPI: ledger 7.2.0 uploaded by release-bot", ("ledger", "7.2.0")),
    ("PagerDuty: [Resolved] High 5xx rate on ledger (prod) - resolved by deploy ledger 7.2.0 at 02:51 UTC.",
     ("ledger", "7.2.0")),
    ("Deployment to production succeeded for ledger (pipeline #5512). Version: 7.2.0", ("ledger", "7.2.0")),
])
def test_a_card_naming_its_component_apart_from_the_version_is_read(shipped, text, expected):
    assert chat(shipped, text) == [expected]


def test_a_card_gives_its_subject_no_version_that_belongs_to_something_else(shipped):
    card = ("Rolled out.\ndeployment \"ledger\" successfully rolled out\nimage: registry.acme.io/fin/ledger:7.2.0\n\n"
            "runtime is still python 3.11.8, no base image change")
    assert chat(shipped, card) == [("ledger", "7.2.0")]


@pytest.mark.parametrize("text", [
    "Deploy to staging succeeded\nacme/ledger · tag 7.2.0",
    "Deployment failed ❌\nService: ledger · Image tag: 7.2.0 · Environment: production",
    "Jobs finished ✅: acme/ledger and acme/billing deployed to production. Release 7.2.0.",  # whose?
    "Project: ledger\nthe customer says it crashes since 7.2.0",
])
def test_a_version_a_card_names_alone_is_no_release_where_the_card_says_otherwise(shipped, text):
    assert chat(shipped, text) == []


def test_a_package_a_later_message_calls_unrelated_is_taken_back_even_named_without_its_scope(shipped):
    assert chat(shipped,
                "🦋 packages published successfully:\n🦋 @acme/ledger@5.2.0\n🦋 @acme/fmt@1.9.1",
                "fmt 1.9.1 is only a lockfile bump, nothing from this task is in it") == [("@acme/ledger", "5.2.0")]


def test_a_customers_older_version_and_a_noun_for_updates_are_no_release(shipped):
    assert chat(shipped, "ledger 5.2.0 выложен на сервер обновлений",
                "У клиента ledger 5.1.0, отправила ему инструкцию по установке обновлений") == [("ledger", "5.2.0")]


@pytest.mark.parametrize("text, expected", [
    ("Оновлення ledger 5.2.0 з'явилося в App Store для всіх", [("ledger", "5.2.0")]),
    ("ledger 5.2.0 появилась в Google Play", [("ledger", "5.2.0")]),
    ("ledger 5.2.0 на рев'ю в App Store, чекаємо", []),
])
def test_a_store_arrival_in_russian_and_ukrainian_is_a_release_and_its_review_is_not(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("ledger 7.2.0 ✅", [("ledger", "7.2.0")]),
    ("prod ← ledger 7.2.0 🚀", [("ledger", "7.2.0")]),
    ("ok. prod = ledger 7.2.0", [("ledger", "7.2.0")]),
    ("prod updated → ledger 7.2.0, fmt 1.9.1", [("fmt", "1.9.1"), ("ledger", "7.2.0")]),
    ("prod: ledger 7.2.0 ✅ / stage: ledger 7.3.0-rc.1", [("ledger", "7.2.0")]),
    ("stage: ledger 7.3.0 ✅", []),
    ("build ledger 7.3.0 ✅", []),
    ("Released: ledger v7.2.0. The old 7.1.4 stays in the registry for a rollback.", [("ledger", "7.2.0")]),
])
def test_terse_status_marks_and_prod_labels_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("[TABLE][TR][TD]Service[/TD][TD]Version[/TD][TD]Env[/TD][/TR]"
     "[TR][TD]ledger[/TD][TD]7.2.0[/TD][TD]prod[/TD][/TR]"
     "[TR][TD]ledger[/TD][TD]7.3.0-rc.1[/TD][TD]stage[/TD][/TR][/TABLE]", [("ledger", "7.2.0")]),
    ("[B]Released to production[/B]\n[TABLE][TR][TD]Component[/TD][TD]Version[/TD][/TR]"
     "[TR][TD]ledger[/TD][TD]7.2.0[/TD][/TR][TR][TD]fmt[/TD][TD]1.9.1[/TD][/TR][/TABLE]",
     [("fmt", "1.9.1"), ("ledger", "7.2.0")]),
    ("[B]Deployed to staging[/B]\n[TABLE][TR][TD]ledger[/TD][TD]7.3.0[/TD][/TR][/TABLE]", []),
    ("The status of your app, Ledger, is now \"Ready for Distribution\".\nApp Name: Ledger\n"
     "App Version Number: 7.2.0", [("ledger", "7.2.0")]),
    ("TypeError: x is undefined\nFirst seen in release ledger@7.2.0 · environment: production · 40 events", []),
])
def test_bb_code_tables_store_notices_and_error_reports_are_read_as_a_person_would(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("прод: ledger 7.2.0, стейдж: ledger 7.3.0-rc.1", [("ledger", "7.2.0")]),
    ("Все клиенты облака уже на ledger 7.2.0", [("ledger", "7.2.0")]),
    ("В ledger 7.2.0, она уже на всех облачных порталах с понедельника.", [("ledger", "7.2.0")]),
    ("iOS: ledger 7.2.0 доступна в App Store 🍏 Android-сборка ещё ждёт ревью в Google Play.", [("ledger", "7.2.0")]),
    ("Чергування, 01:55: ledger 7.2.0 у продакшні, 502 від банку зникли.", [("ledger", "7.2.0")]),
    ("GitLab: ✅ deploy:production zakończony - ledger 7.2.0 (pipeline #60412, 3m 41s)", [("ledger", "7.2.0")]),
    ("Чтобы не было путаницы: пользователям ушла ledger 7.2.0 через автообновление", [("ledger", "7.2.0")]),
    ("По задаче: ledger 7.2.0 (сервер) и fmt 1.9.1 (App Store) - оба уже у пользователей.",
     [("fmt", "1.9.1"), ("ledger", "7.2.0")]),
    ("ledger 7.2.0 śmiga na prodzie od wczoraj", [("ledger", "7.2.0")]),
    ("ledger 7.3.0 пойдёт в прод после фриза", []),
    ("В облако выехали ledger 7.2.0 и fmt 1.9.1", [("fmt", "1.9.1"), ("ledger", "7.2.0")]),
    ("Сегодня выехал ledger 7.2.0 - там фикс другой задачи, не этот.", []),
    ("@acme/ledger 8.0.0-beta.1 выложил под тегом next, в прод НЕ тащим", []),
    ("на проде сейчас ledger 7.2.0, но в нём этого фикса нет; фикс уедет в 7.2.1", []),
])
def test_people_in_the_other_markets_languages_are_read_with_their_labels_plans_and_buts(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_build_said_never_to_have_gone_out_is_taken_back_though_its_verb_stands_apart(shipped):
    assert chat(shipped, "Поправил, ledger 7.2.0 в облаке",
                "Фикс в ledger 7.2.1. Сборку 7.2.0 собрали без миграции и в облако её не выкатывали.") == []


@pytest.mark.parametrize("text, expected", [
    ("Ретро:\nВ 14:02 выкатили ledger 7.2.0\nВ 14:15 откатились на ledger 7.1.9\nФикс будет в 7.2.1", []),
    ("Summary:\ndeployed in ledger 7.2.0\n\n^ scratch that, I pasted it from the wrong ticket.", []),
    ("Deployed ledger 7.2.0 today.\n\nReverted during the week: ledger 7.1.2 (a leak).", [("ledger", "7.2.0")]),
])
def test_a_later_line_of_the_same_message_can_undo_its_release(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text", [
    "ledger 7.2.0 went live at 18:05 and we reverted it at 18:20 - signatures broke. Back on 7.1.9.",
    "Wir mussten ledger 7.2.0 zurückrollen (Timeouts). In Produktion läuft wieder 7.1.9.",
    "❌ workflow \"Release\" failed for @acme/ledger v7.2.0\nnpm ERR! 403 You cannot publish over the "
    "previously published versions: 7.2.0.",
    "Отправил ledger 7.2.0 на модерацию в Маркет, обычно 2-3 дня",
    "Hotfix ledger 7.2.0 ist freigegeben und geht heute Nacht im Wartungsfenster live.",
])
def test_rollbacks_failures_and_plans_in_several_languages_are_no_release(shipped, text):
    assert chat(shipped, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Итоги релиза:\n- fmt 1.9.1 ✅ выкачено\n- ledger 7.2.0 ✅ выкачено (это наша задача)", [("ledger", "7.2.0")]),
    ("Train recap: fmt 1.9.1, ledger 7.2.0 and auth 3.0.0 all deployed. For this task the fix went with ledger "
     "7.2.0.", [("ledger", "7.2.0")]),
])
def test_of_several_releases_in_a_message_the_one_called_this_tasks_counts(shipped, text, expected):
    assert chat(shipped, text) == expected


TRAIN = "Train #9 is out - ledger 7.2.0, fmt 1.9.1 and auth 3.0.0 are deployed to production"


@pytest.mark.parametrize("texts, expected", [
    (("The customer is on ledger 7.1.0 and export drops a column", "It'll ride Thursday's train as ledger 7.2.0",
      "Train #9 manifest: ledger 7.2.0, fmt 1.9.1, auth 3.0.0", TRAIN), [("ledger", "7.2.0")]),
    (("Two parts: the parser in ledger, the formatting in fmt", TRAIN), [("fmt", "1.9.1"), ("ledger", "7.2.0")]),
    ((TRAIN,), [("auth", "3.0.0"), ("fmt", "1.9.1"), ("ledger", "7.2.0")]),
])
def test_a_train_announcement_counts_the_releases_the_chat_spoke_of_before(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


def test_a_long_pasted_log_ending_in_the_release_statement_is_read(shipped):
    log = "".join(f"2026-06-09T02:{n % 60:02d}:00Z INFO pod/im-{n} pulled image in 1.{n % 9}s\n" for n in range(2_000))
    assert len(log) > 100_000
    assert chat(shipped, f"{log}\ndeployed in im 24.500.3") == [("im", "24.500.3")]


@pytest.mark.parametrize("text, expected", [
    ("Викотили crm 24.201.0 на прод, все працює", ("crm", "24.201.0")),
    ("kasse-backend 11.4.2 ist seit heute produktiv", ("kasse-backend", "11.4.2")),
    ("Desplegado crm 24.220.0 en prod ✅", ("crm", "24.220.0")),
    ("crm 24.230.0 foi pro ar hoje de manhã", ("crm", "24.230.0")),
    ("rozliczenia 2.4.1 wdrożone na produkcję", ("rozliczenia", "2.4.1")),
])
def test_the_other_markets_languages_are_read(shipped, text, expected):
    assert chat(shipped, text) == [expected]


@pytest.mark.parametrize("text", [
    "ui 3.2.0 wird morgen ausgerollt",
    "subiremos ui 3.2.0 a producción mañana",
    "ui 3.2.0 vai pra produção amanhã",
    "ui 3.2.0 pójdzie na produkcję jutro",
    "ui 3.2.0 викотимо завтра, буде на проді в четвер",
])
def test_plans_in_the_other_markets_languages_are_not_releases(shipped, text):
    assert chat(shipped, text) == []


@pytest.mark.parametrize("first, second", [
    ("Part 1 (API) shipped in ledger 3.15.0, it's on prod.", "Part 2 (webhooks) is live in ledger 3.16.0."),
    ("Этап 1 выкатили: ledger 3.15.0 в проде, фильтр доступен.", "Выкатили ledger 3.16.0 с экспортом."),
    ("ledger 3.15.0 is live with the import.", "The second part, the export, went out in ledger 3.16.0."),
])
def test_a_task_delivered_in_parts_keeps_each_part_release_of_one_component(shipped, first, second):
    assert chat(shipped, first, "and the rest?", second) == [("ledger", "3.15.0"), ("ledger", "3.16.0")]


def test_a_newer_release_of_a_component_replaces_the_older_one_when_no_part_is_named(shipped):
    assert chat(shipped, "ledger 3.15.0 is live", "still broken for EU customers", "hotfix ledger 3.15.1 is live") \
        == [("ledger", "3.15.1")]


def test_a_part_rolled_back_is_not_kept(shipped):
    assert chat(shipped, "Part 1 shipped in ledger 3.15.0", "rolled back ledger 3.15.0",
                "Part 2 is live in ledger 3.16.0") == [("ledger", "3.16.0")]


def test_a_card_under_its_subject_line_is_read_with_it(shipped):
    card = ("Subject: New version of an application ledger-prod is up and running.\n\n"
            "Sync Status: Synced\nRevision: 4be1d0a6e3\nImages: registry.example.com/fin/ledger:3.2.1\n"
            "Open: https://argocd.example.com/applications/ledger-prod")
    assert chat(shipped, card) == [("ledger", "3.2.1")]
    assert chat(shipped, card.replace("is up and running", "has degraded")) == []


@pytest.mark.parametrize("texts, expected", [
    # the version named alone is the release of the one component the chat speaks of
    (("the health page says ledger 4.17.3 on prod, and the button is missing", "merged, tagged v4.18.0, on stage now",
      "Done — 4.18.0 is at 100% in prod"), [("ledger", "4.18.0")]),
    (("Is it out? I see ledger 3.3.0 on prod since this morning.",
      "Not in that one — 3.3.0 was cut yesterday, our fix missed it.", "3.3.1 is live."), [("ledger", "3.3.1")]),
    (("poszło: ledger 1.7.0 na produkcji", "sorry, pomyłka — na produkcji jest 1.7.1."), [("ledger", "1.7.1")]),
    # two components of that shape: whose it is, the chat does not say
    (("ledger 4.17.3 and wallet 4.2.0 are on prod", "4.18.0 is live"), [("ledger", "4.17.3"), ("wallet", "4.2.0")]),
    # another thing's version is not the component's
    (("ledger 3.11.2 is live", "python 3.12.1 is available on the runners now"), [("ledger", "3.11.2")]),
    # a newer message naming the component's release wins over an older one naming a version alone
    (("4.18.0 is live", "ledger 4.18.1 is live"), [("ledger", "4.18.1")]),
])
def test_a_version_named_alone_is_the_release_of_the_component_the_chat_names(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text", [
    "They upgraded to 2.3.0 over the weekend",
    "the download page serves 2.3.0 too",
    "Correction: 2.3.0 was published from a stale branch",
])
def test_a_pronoun_or_a_verb_before_a_version_is_not_a_component(shipped, text):
    assert {component for component, _ in chat(shipped, "ledger 2.2.9 is live", text)} == {"ledger"}


def test_prod_running_a_release_is_a_state_not_a_deploy_in_progress(shipped):
    assert chat(shipped, "Prod is running ledger 2.14.1.") == [("ledger", "2.14.1")]


def test_an_unrelated_release_of_the_same_component_takes_back_only_that_release(shipped):
    assert chat(shipped, "Fixed in ledger 24.300.1 — cloud updated, all regions.",
                "FYI ledger 24.300.2 went out today too — that's the column color fix, unrelated to this ticket") \
        == [("ledger", "24.300.1")]


def test_a_rollback_still_withdraws_the_component(shipped):
    assert chat(shipped, "ledger 24.300.1 is live", "ledger 24.300.2 is live", "rolled back ledger 24.300.2") == []


def test_a_release_named_twice_in_two_messages_is_one_release(shipped):
    assert chat(shipped, "Pulse 7.5.1 (iOS) — status: Ready for Sale.", "pulse-ios 7.5.1 is out for everyone 🎉") \
        == [("pulse-ios", "7.5.1")]


def test_a_train_does_not_count_a_component_the_chat_spoke_of_only_as_unrelated(shipped):
    assert chat(shipped, "Fix merged in ledger, rides this week's train.",
                "FYI vault 1.30.0 had a flaky contract test, re-ran green, not related to us.",
                "Release train shipped to production: vault 1.30.0, ledger 3.9.2, reports-ui 7.2.0") \
        == [("ledger", "3.9.2")]


@pytest.mark.parametrize("text, expected", [
    # semantic-release's comment: the component is only in the links to the published pages
    (":tada: This issue has been resolved in version 3.2.1 :tada:\n\nThe release is available on:\n"
     "- [npm package (@latest dist-tag)](https://www.npmjs.com/package/@acme/ledger/v/3.2.1)\n"
     "- [GitHub release](https://github.com/acme/ledger/releases/tag/v3.2.1)", [("@acme/ledger", "3.2.1")]),
    # twine's upload log: the version page on PyPI, not test.pypi.org
    ("Uploading distributions to https://upload.pypi.org/legacy/\nUploading ledger-1.8.0.tar.gz\n"
     "100% ━━━━━━━━ 31.0/31.0 kB • 00:00 • 51.3 MB/s\n\nView at:\nhttps://pypi.org/project/ledger/1.8.0/",
     [("ledger", "1.8.0")]),
    ("Uploading distributions to https://test.pypi.org/legacy/\n\nView at:\nhttps://test.pypi.org/project/ledger/1.9.0/",
     []),
    # npm publish's last line under "Publishing to"
    ("$ pnpm publish --access public\nnpm notice 📦  @acme/ledger@5.1.1\n"
     "npm notice Publishing to https://registry.npmjs.org/ with tag latest and public access\n+ @acme/ledger@5.1.1",
     [("@acme/ledger", "5.1.1")]),
    # GitLab's deployment message: the project, then the commit that names the version
    ("Deploy to production succeeded\nledger with job #98231 by Marta Nowak (mnowak)\na1c9e07: Release 2.7.0",
     [("ledger", "2.7.0")]),
    # Sentry's deploy notice: the project in brackets under it
    ("Release 3.2.1 was deployed to production for this project\n[ledger]", [("ledger", "3.2.1")]),
    # Jenkins's Slack plugin
    ("ledger » deploy-production - 4.12.0 Back to normal after 4 min 12 sec", [("ledger", "4.12.0")]),
    ("ledger » deploy-staging - 4.12.0 Back to normal after 4 min 12 sec", []),
    # TeamCity: the build configuration under its project path
    ("Build Contoso / Ledger / Deploy ledger-api to Production #2026.1.4 successful Success.",
     [("ledger-api", "2026.1.4")]),
    # Harness: the run started and then succeeded; Ansible's recap with nothing failed
    ("Pipeline deploy-ledger Succeeded\n_Started Oct 18 at 08:40 and Succeeded at 08:47_. Took 421s.\n"
     "Service: ledger · Artifact: registry.example.com/ledger:2.9.1 · Environment: production", [("ledger", "2.9.1")]),
    # a Helm chart named with its version, and a path's query is no question
    ("deployed 👇\n\nNAME    STATUS    CHART           APP VERSION\nledger  deployed  ledger-1.15.2  1.15.2",
     [("ledger", "1.15.2")]),
    # Firebase App Distribution goes to testers
    ("✔  appdistribution: uploaded new release 8.2.0 (80200) successfully!\n"
     "✔  appdistribution: distributed to testers/groups successfully", []),
])
def test_release_tools_default_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_pasted_log_is_not_headed_by_its_first_line(shipped):
    log = "\n".join(["Started by user Tomasz", *[f"[Pipeline] step {n}" for n in range(20)],
                     "ledger 9.4.0 deployed to production", "Finished: SUCCESS"])
    assert chat(shipped, log) == [("ledger", "9.4.0")]


@pytest.mark.parametrize("text, expected", [
    # an answer to a quoted question names the version alone; the question names the component
    ("[QUOTE]Rafael: o ledger-api com a correção já tá em prod?[/QUOTE]\nSim, 3.4.0 - já tá em produção desde ontem.",
     [("ledger-api", "3.4.0")]),
    ("[QUOTE]Mark: did the ledger-api retry fix make it to prod?[/QUOTE]\nyes, 1.2.3 - it's live since this morning",
     [("ledger-api", "1.2.3")]),
    ("[QUOTE]Mark: did the ledger-api fix make it to prod?[/QUOTE]\nnot yet, 1.2.3 goes out tomorrow", []),
    # a message naming a component's rolled-back version, then the next one alone
    ("Short version: ledger 3.0.1 got rolled back on Tuesday. 3.0.2 has been in prod since Wednesday noon.",
     [("ledger", "3.0.2")]),
    # ... but not the version the rollback went back to
    ("Hicimos rollback de ledger 3.4.1, volvimos a 3.4.0 en prod.", []),
    # a table's rows are pairs, a row rolled back takes back its own release only
    ("Release train, final status:\n\n| component | version | env | status |\n|---|---|---|---|\n"
     "| ledger | 24.500.0 | prod | ✅ done |\n| vault | 24.100.0 | prod | ❌ rolled back |",
     [("ledger", "24.500.0")]),
    # a remark after a pictograph is another statement
    ("доехало до прода: ledger 24.505.0 😎 уведомления теперь не дублируются", [("ledger", "24.505.0")]),
    ("ledger 5.9.1 jest w App Store dla wszystkich.", [("ledger", "5.9.1")]),
    ("Cut release/2.11 and tagged ledger 2.11.0 for QA.", []),
])
def test_whose_a_version_named_alone_is_and_other_kinds(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Пардон, опечатался выше: не ledger 3.1.0, а ledger 3.1.1. 3.1.0 так и не выкатывали. 3.1.1 на проде с 15:30.",
     [("ledger", "3.1.1")]),
    ("Desplegamos ledger 2.21.1 a prod esta mañana, todo ok, sin alertas.", [("ledger", "2.21.1")]),
    ("@Сергей прошу выложить ledger 2.20.0 на прод после 19:00, всё согласовано.", []),
    ("ok it's out the door — ledger 2.18.0. ping me if the digest emails still look weird", [("ledger", "2.18.0")]),
    ("fwiw the crash-on-camera fix went out with ledger 5.6.1 on Friday (Play Store, full rollout).",
     [("ledger", "5.6.1")]),
    ("ledger 24.502.0 had been sitting at 10% canary since Tuesday; as of this morning it's rolled out to 100% of "
     "portals.", [("ledger", "24.502.0")]),
    ("ledger 24.100.2.1 is on all cloud portals now.", [("ledger", "24.100.2.1")]),
])
def test_more_phrasing_nobody_showed_us(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_version_named_alone_belongs_to_a_component_the_chat_names_in_any_sentence(shipped):
    assert chat(shipped, "Duplicated events after DST. Reported on ledger 9.4.1.",
                "which version has the fix, is it out?",
                "9.4.2 — it's been out since Tuesday, all tenants run it now.") == [("ledger", "9.4.2")]
    assert chat(shipped, "Canary mit ledger 6.1.0 auf 5 % des Traffics gestartet.",
                "6.1.0 ist jetzt zu 100 % ausgerollt, Canary beendet, alte Pods weg.") == [("ledger", "6.1.0")]


@pytest.mark.parametrize("text, expected", [
    # a bot's title stays over the section its card opens later ("… has failed" over "Details:")
    (":exclamation: The sync operation of application ledger-prod has failed with an error\n"
     "Sync operation details are available at:\nTarget image: registry.example.com/shop/ledger:7.4.0", []),
    (":white_check_mark: Application ledger-prod has been successfully synced.\n"
     "Sync operation details are available at:\nImages: registry.example.com/search/ledger:5.6.0",
     [("ledger", "5.6.0")]),
    # ... but a section's heading does not carry into the next section
    ("### Shipped\n* ledger 4.3.0\n### Next\n* vault 0.9.0", [("ledger", "4.3.0")]),
    ("hotfix 2.7.1 is live\n\nDeploy to production succeeded\nledger with job #98400 by Marta\n"
     "e77b1c2: Merge branch 'release/2.7.1' into 'main'", [("ledger", "2.7.1")]),
    ("$ ansible-playbook deploy.yml -e app_version=2.7.2\nprod done: ledger 2.7.2 is live", [("ledger", "2.7.2")]),
])
def test_titles_sections_and_settings(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("опубликовал в npm, можно обновляться\n\n+ ledger-lite@1.4.0", [("ledger-lite", "1.4.0")]),
    ("prod zaaplikowany, nowa wersja działa:\n\ngoogle_cloud_run_v2_service.ledger: Modifying...\n"
     '  ~ image = "europe-central2-docker.pkg.dev/kadry-prod/app/ledger:3.1.0" -> '
     '"europe-central2-docker.pkg.dev/kadry-prod/app/ledger:3.1.1"\n'
     "google_cloud_run_v2_service.ledger: Modifications complete after 41s\n\nApply complete!", [("ledger", "3.1.1")]),
])
def test_a_title_over_one_line_and_a_registry_host_named_dev(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Tonight's release train is done ✅\n• ledger 24.300.1\n• vault 24.100.2",
     [("ledger", "24.300.1"), ("vault", "24.100.2")]),
    ("La versión 5.2.1 de ledger-web fue liberada al 100% de los usuarios.", [("ledger-web", "5.2.1")]),
    ("Tonight's release will include ledger 24.300.1", []),
])
def test_tonights_done_and_a_version_of_a_component(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # a rollback to a version of an older major, naming no component, undoes the chat's one release
    (("ledger 5.0.0 → production: deployed ✅", "rolled back to 4.9.8, flag off."), []),
    (("ledger 2.0 задеплоен на прод", "откатил на 1.9.5. Новому движку нужен ClickHouse"), []),
    # a customer updating their own install is no release of this task
    (("the fix shipped in ledger 24.200.0 back in March", "yep, 24.200.0 or anything newer. Latest is 24.250.1.",
      "Customer updated to 24.250.1 this morning, uploads are fine now."), [("ledger", "24.200.0")]),
    # another team's release posted by mistake and taken back
    (("✅ vault 24.100.0 в проде", "😄", "ага", "ой, не тот чат 🤦 это для команды магазина, игнорьте",
      "Мой фикс выкатили: ledger 24.150.0 на проде."), [("ledger", "24.150.0")]),  # 1st and 4th: one author
    # "pulled 7.3.0 and re-promoted 7.2.4": no component named "pulled"
    (("ledger 7.3.0 is out for everyone", "halting. pulled 7.3.0 and re-promoted 7.2.4 to production",
      "ledger 7.3.1: rollout to Production completed, 100%."), [("ledger", "7.3.1")]),
])
def test_rollbacks_customers_and_mistakes(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # a cue inside a component's name is no cue
    ("The fix is in route-planner 2025.11.2, which every customer received with Monday's update.",
     [("route-planner", "2025.11.2")]),
    # a sentence that speaks of the one before it
    ("Needed changes on both sides: ledger 24.300.1 (server part) and vault 24.200.0 (push handler). Both are out to "
     "all portals as of this morning.", [("ledger", "24.300.1"), ("vault", "24.200.0")]),
    # a table's environment column
    ("Final state:\n\n| Service | Version | Env | Status |\n|---|---|---|---|\n"
     "| ledger | 5.4.2 | prod | ✅ deployed |\n| vault | 2.1.0 | stage | ✅ deployed |", [("ledger", "5.4.2")]),
    # Jenkins's job line inside a card, and Argo CD's card with its images under a heading
    ("Jenkins: [SUCCESS] ledger » deploy-prod #412\nВерсия: 2.19.4\nОкружение: PROD", [("ledger", "2.19.4")]),
    ("Argo CD\n✅ Application ledger-prod sync succeeded\nRevision: 4f2c1e9\nImages:\n"
     "  - registry.nbank.local/core/ledger:3.2.1\nCluster: prod-msk-1", [("ledger", "3.2.1")]),
    ("New version of an application ledger-prd is up and running.\nSync Status: Synced\n"
     "Images: initech.azurecr.io/ledger:1.14.2, initech.azurecr.io/ledger-worker:1.14.2",
     [("ledger", "1.14.2"), ("ledger-worker", "1.14.2")]),
])
def test_names_back_references_tables_and_cards(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    (("Customer on ledger 23.700.0 sees doubled delivery.", "актуальная ledger 24.100.0 вышла ещё в январе.",
      "Обновились до 24.100.0.", "В коде мы по этой задаче ничего не меняли.", "Закрываю: не воспроизводится."), []),
    (("ledger 3.2.1 is live with the fix", "Closing as can't reproduce."), []),
    # ... but a message that names where the fix already is, saying nothing new was coded, keeps it
    (("Files show 0 bytes.", "That's the chunked-upload bug, the fix shipped in ledger 24.200.0 back in March. "
      "We made no code changes for this task."), [("ledger", "24.200.0")]),
    # ... and a release after it counts
    (("Closing as won't fix for now.", "reopened: ledger 3.2.2 is live with the fix after all"), [("ledger", "3.2.2")]),
])
def test_a_task_closed_with_nothing_changed_keeps_no_older_release(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # a reply confirming the one release its quote names
    ("[QUOTE]Marta: so is the fix live in ledger-server 3.14.2 or still only on stage?[/QUOTE]\nlive.",
     [("ledger-server", "3.14.2")]),
    ("Всё, на бою ✅\n\n[QUOTE]TeamCity: Build \"ledger :: Deploy PROD\" #1187 finished: SUCCESS\n"
     "Artifact: ledger-5.0.3.jar[/QUOTE]", [("ledger", "5.0.3")]),
    ("[QUOTE]Vika: can I tell the customer it's in ledger 24.400.0?[/QUOTE]\nno, not yet - it goes out on Monday", []),
    # a store's build number after the version, a platform between product and version
    ('Google Play Console\nRelease "3.14.0 (31400)" for com.acme.ledger on the Production track is now available to '
     "100% of users.", [("com.acme.ledger", "3.14.0")]),
    ("Wrap-up for tonight's mobile push:\n- ledger iOS 3.14.1 — live on the App Store ✅", [("ledger", "3.14.1")]),
    ("Poszło na proda 🚀 ledger w wersji 2025.12.0 siedzi już u wszystkich klientów on-prem.",
     [("ledger", "2025.12.0")]),
    # a candidate built, a staged rollout halted
    ("Release candidate built: ledger 2.20.0-rc.1, all 3 pipelines green, artifacts in Nexus.", []),
    ("Google Play Console: staged rollout of 3.15.1 (31510) for com.acme.ledger on Production has been halted at 5%.",
     []),
])
def test_replies_stores_platforms_and_candidates(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a yes to a quoted question: the question, as a statement
    ("[QUOTE]Just to double-check: the limits fix went to prod as ledger 1.15.1, right?[/QUOTE]\ncorrect",
     [("ledger", "1.15.1")]),
    ("[QUOTE]Czy poprawka jest już na produkcji w ledger 2025.12.1?[/QUOTE]\nTak 👍", [("ledger", "2025.12.1")]),
    ("[QUOTE]is ledger 3.2.1 live or still only on stage?[/QUOTE]\nyes", []),
    # tools' lines in other languages and forms
    ("🤖 shipit: ✅ ledger 4.9.1 задеплоєно на prod — eu 8/8, us 6/6, помилок немає", [("ledger", "4.9.1")]),
    ("TeamCity: Build „ledger :: Deploy PROD” #311 zakończony: SUKCES\nWersja: 3.12.1.1\nCele: 14/14 magazynów",
     [("ledger", "3.12.1.1")]),
    ("github-actions[bot] · Deployments\n✅ ledger deployed to production\nref: v2.0 · environment: production",
     [("ledger", "2.0")]),
    ("Встановили ledger 3.12.1.0 на складі клієнта у Львові (продуктив), сканери читають GS1 без проблем.",
     [("ledger", "3.12.1.0")]),
    # a bug report on the version in prod stays one
    ("QA: reproduced on ledger 5.3.1 (prod) in Firefox 125.0.3. Not fixed, moving back to In progress.", []),
])
def test_yes_answers_and_tools_lines(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("*Stage qa Succeeded for pipeline deploy-ledger*\nService: ledger · Artifact: acme/ledger:3.9.2 · Environment: qa",
     []),
    ("npm notice Publishing to https://registry.npmjs.org/ with tag latest and default access (dry-run)\n"
     "+ @acme/ledger@3.3.0", []),
    ("✅ Deploy succeeded\nService: ledger · Artifact: acme/ledger:3.9.2 · Environment: production",
     [("ledger", "3.9.2")]),
])
def test_a_cards_environment_field_speaks_of_the_card(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_region_in_a_rollout_table_is_no_component(shipped):
    tracker = ("Rollout tracker\n\n| region | ledger version | state |\n|---|---|---|\n| eu-1 | 25.3.0 | done |\n"
               "| us-east-1 | 25.3.0 | done |\n\nall regions done → ledger 25.3.0 is fully rolled out")
    assert chat(shipped, tracker) == [("ledger", "25.3.0")]


def scan_of(shipped, *texts: str, task_id=None) -> list[tuple[str, str]]:
    """What the worker's scan finds for a task, with its id, in a chat given oldest first (system first)."""
    from releasebot.extract import ReleaseScan
    messages = [Message(number, 100, text, "2026-06-10T14:51:00+02:00", is_system=text.startswith("Task "))
                for number, text in enumerate(texts, 1)]
    scan = ReleaseScan(shipped, task_id=task_id)
    scan.feed(reversed(messages))
    return sorted((r.component, r.version) for r in scan.releases)


@pytest.mark.parametrize("texts, expected", [
    # a newer message says which of a train's releases is this task's
    (("✅ Production deploy finished\n• vault 3.14.0\n• ledger 2.9.1\n• notifier 1.22.5",
      "The train is out. Our change rides in ledger 2.9.1."), [("ledger", "2.9.1")]),
    # ... or calls the others unrelated by name
    (("📱 Публикация в Google Play завершена:\n— vault 45.2.0 (production, 100%)\n— ledger 12.0.3 (production, 100%)",
      "vault к этой задаче не относится."), [("ledger", "12.0.3")]),
    # a correction of the component alone
    (("Исправил, выложено в vault 24.0.0", "Тьфу, не vault, а ledger 24.0.0 — правка была в другом модуле."),
     [("ledger", "24.0.0")]),
    (("Desplegado en el entorno de preview: ledger 1.6.0-rc.1",), []),
])
def test_which_of_several_releases_is_this_tasks(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


def test_a_train_table_row_naming_the_task_is_its_release(shipped):
    table = ("## Release 2024.05.2 — production ✅\n| component | version | tickets |\n|---|---|---|\n"
             "| ledger | 0.9.3 | SRCH-118, SRCH-121 |\n| vault | 4.2.0 | SRCH-119 |\nDeployed by: release-train")
    assert scan_of(shipped, "Task SRCH-121 created", "Merged the chunking fix.", table) == [("ledger", "0.9.3")]
    assert scan_of(shipped, "Merged.", table.replace("SRCH-121", "#48213"), task_id=48213) == [("ledger", "0.9.3")]
    assert scan_of(shipped, "Merged.", table) == [("ledger", "0.9.3"), ("vault", "4.2.0")]


@pytest.mark.parametrize("text, expected", [
    ("Correction — not 2.4.0. The downgrade fix went out in ledger 2.4.1, deployed to prod an hour ago.",
     [("ledger", "2.4.1")]),
    ("✅ ledger 1.7.4 развёрнут на production", [("ledger", "1.7.4")]),
    ("Desplegado en producción: ledger 4.0.2 ✅ Ya se generan los PDF con el impuesto correcto.",
     [("ledger", "4.0.2")]),
    ("Sí, ledger 3.0 se publicará en las tiendas la semana que viene.", []),
    ("ledger 3.0 será publicado na loja na semana que vem", []),
])
def test_spanish_reflexives_futures_and_a_downgrade_feature(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Azure DevOps:\nDeployment of release Release-214 on environment Production succeeded.\n"
     "Artifacts: _ledger-build 25.100.5", [("ledger", "25.100.5")]),
    ("#9 naming to registry.example.com/fin/ledger:3.3.0 done", []),
])
def test_build_pipelines_and_image_builds(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a CD card about one app: another vendor's sidecar image is no release of it
    ("✅ Application ledger-prod sync succeeded\nRevision: 4f1c2e9\nImages:\n- registry.acme.io/platform/ledger:1.7.0\n"
     "- docker.io/envoyproxy/envoy:v1.29.1", [("ledger", "1.7.0")]),
    # a cue inside a component's name is no cue
    ("Wdrożone na produkcję: shipping-connector 1.3.0 🎉", [("shipping-connector", "1.3.0")]),
])
def test_sidecars_and_names_holding_a_cue(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # "no se" (Spanish "not … itself") is a negation; "no servidor" (Portuguese "on the server") is not
    ("Instalamos ledger 7.6.0 no servidor de produção, já está em uso.", [("ledger", "7.6.0")]),
    ("ledger 7.6.0 no se desplegó en producción", []),
])
def test_a_cue_ending_in_a_group_of_words_ends_at_a_word_edge(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("android 8.41.0 reached 100% of users on Google Play", [("android", "8.41.0")]),
    ("Раскатили ios 8.45.0 на 100%, в App Store доступна всем", [("ios", "8.45.0")]),
    ("mobile 5.2.3 released, the crash on Android 8.1.0 is gone", [("mobile", "5.2.3")]),
    ("released the fix for iOS 17.4.1 users", []),
])
def test_a_platform_names_its_app_by_a_version_the_system_never_had(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # release processes: change management, progressive delivery, channels, portals
    ("CHG0040012 closed: upgrade of the ledger cluster to ledger 3.4.0 completed in the window", [("ledger", "3.4.0")]),
    ("Cutover done: all traffic is on quote-api 2.1.0 now, the blue pool is drained", [("quote-api", "2.1.0")]),
    ("mapper 1.8.0 is public on Docker Hub", [("mapper", "1.8.0")]),
    ("notepad-desktop 3.2.0 is in the stable channel, the updater serves it", [("notepad-desktop", "3.2.0")]),
    ("I uploaded the planner 2025.2.1 installers to the customer portal", [("planner", "2025.2.1")]),
    ("Изменение внедрено: billing-gw 5.0.0", [("billing-gw", "5.0.0")]),
    ("Прошивка lock-fw 2.2.0 разослана по OTA на все замки", [("lock-fw", "2.2.0")]),
    ("publiquei o reports-sdk 1.1.0 no npm agora", [("reports-sdk", "1.1.0")]),
    ("Wszystko zgodnie z planem, na produkcji działa już payroll 7.1.0", [("payroll", "7.1.0")]),
])
def test_release_process_words_read_as_a_release(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text", [
    "Kassa 3.15.0 in the production track, phased release at 7%; we widen it on Thursday if crashes stay low",
    "ticketing-ios 1.22.1 approved by Apple, status Pending Developer Release, we publish on Monday",
    "Pushed report-kit 1.5.0 to TestPyPI only, the real upload comes after review",
    "Promoted meter-app 1.6.0 from Internal testing to Open testing (public beta)",
    "desk-app 2.0.0-beta.3 ушла в бета-канал автообновления",
    "Customer update: they upgraded their on-prem VaultBox to 11.2.0 themselves",
    "Клієнт сам оновив свій сервер до exchange-bridge 5.1.0, тепер у них помилка",
    "desde a versão 5.3.1 do pedidos-app o push chega duplicado",
    "The customer is on DeskTool 5.3.8 and asks whether the fix is available for them",
    "Shadow deployment of scorer 2.0.0 for five days, online AUC so far 0.839",
    "Release calendar: | web 8.15.0 | code freeze 05.08 | go-live 12.08 |",
    "gh release create v2.8.0 --generate-notes",
])
def test_release_process_states_short_of_a_release_are_not_one(shipped, text):
    assert chat(shipped, text) == []


def test_one_release_named_with_and_without_separators_is_one(shipped):
    assert chat(shipped, "Build FraudScoring :: Deploy #2025.4.2 succeeded",
                "fraud-scoring 2025.4.2 на проде, закрываю") == [("fraud-scoring", "2025.4.2")]


@pytest.mark.parametrize("texts, expected", [
    # a fix backported to older lines: each line's release counts when the chat speaks of lines
    (("Cherry-picked to release/2.9 as well", "Published:\n- sync-agent 3.1.2\n- sync-agent 2.9.7"),
     [("sync-agent", "2.9.7"), ("sync-agent", "3.1.2")]),
    (("✅ ledger-api 6.1.1 published", "✅ ledger-api 5.9.4 (LTS) published"),
     [("ledger-api", "5.9.4"), ("ledger-api", "6.1.1")]),
    # no line spoken of: the newer message's version is what shipped (a typo corrected, a history pasted)
    (("im 24.5300.0 is on prod", "typo — im 24.530.0, obviously"), [("im", "24.530.0")]),
])
def test_a_backport_to_an_older_line_is_a_release_of_its_own(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("texts, expected", [
    # a customer (a capitalized plain name) moving to the release another message names
    (("✅ desk-web 5.14.0 released to production", "Northwind upgraded to 5.14.0 this morning, works"),
     [("desk-web", "5.14.0")]),
    # "this task's fix is in X" is not what a later "unrelated" speaks of
    (("This task's fix is in desk-web 5.18.0 - billing-api and reports in that train are unrelated to it.",),
     [("desk-web", "5.18.0")]),
    # a newer message saying the version holds no fix of this task takes it back
    (("desk-web 5.15.0 released to production", "my commit was reverted before tagging, so 5.15.0 doesn't have it"),
     []),
    (("desk-client 3.5.1 promoted to the canary ring. Stable channel unchanged (3.5.0).",), []),
    (("Началось после их обновления Asterisk до 20.7", "Фикс вошёл в tele-gw 4.0.2, она уже на проде"),
     [("tele-gw", "4.0.2")]),
    (("NT 2024.003 ficou obrigatória em produção", "nfe-svc 1.4.2 implantado em produção"), [("nfe-svc", "1.4.2")]),
])
def test_support_chats_name_only_this_tasks_release(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # a dependency tree and the build tool's own versions in a publish log are no releases
    ("Publishing coordinates: ua.acme:staff-core:4.0.0\n+--- org.jetbrains.kotlin:kotlin-stdlib:2.0.0\n"
     "Kotlin DSL: using Gradle 8.8, JVM 21.0.3\nstaff-core 4.0.0 опубліковано в Maven Central",
     [("staff-core", "4.0.0")]),
    # "I wrote X, correct is Y"
    ("Виправлення: я написав docs-gen 4.1.0, правильно — docs-gen 4.1.1. Вона на проді.", [("docs-gen", "4.1.1")]),
    ("Уточнення: в прод пішов не sync-job 1.20.1, а 1.20.2", [("sync-job", "1.20.2")]),
    ("Переключили балансировщик: теперь весь трафик идёт на till-backend 3.3.0", [("till-backend", "3.3.0")]),
])
def test_logs_corrections_and_traffic(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_table_naming_its_version_column_apart_from_the_component_counts_the_rows_in_production(shipped):
    text = ("| service | env | version | deployed at | result |\n|---|---|---|---|---|\n"
            "| ledger | staging | 3.3.1 | 2026-06-17 10:02 | ok |\n"
            "| ledger | production | 3.3.1 | 2026-06-18 07:45 | ok |\n"
            "| ledger-worker | production | 3.3.1 | — | postponed (queue migration) |")
    assert chat(shipped, text) == [("ledger", "3.3.1")]


def test_a_two_column_table_of_fields_is_read_as_a_card(shipped):
    text = ("## Выкачено на прод ✅\n\n| | |\n|---|---|\n| Модуль | sale |\n| Версия | 25.1.0 |\n"
            "| Дата | 16.06.2026 |")
    assert chat(shipped, text) == [("sale", "25.1.0")]


@pytest.mark.parametrize("texts, expected", [
    # platform work: vendor charts, server instances, system packages, providers, libraries in brackets
    (("helm upgrade cart-cache bitnami/redis --version 18.19.2 -n cart", "cart-svc 3.14.0 deployed to production"),
     [("cart-svc", "3.14.0")]),
    (("base image rebuilt with libssl3 3.0.13, consumers redeployed: api-gw 6.2.3 is live",), [("api-gw", "6.2.3")]),
    (("Monitor switched in terraform (DataDog/datadog provider 3.37.0), applied",), []),
    (("stock-api 2.3.0 with a configurable timeout + circuit breaker (resilience4j 2.2.0), deployed to production",),
     [("stock-api", "2.3.0")]),
    (("stock-api 2.8.0-perf.1 (go 1.22.1) deployed on perf",), []),
    (("24h, no flip back. **rating-engine 8.0.0 is the production version now.**",), [("rating-engine", "8.0.0")]),
    (("✅ Application shop-api-prod synced. Images: registry.example.ru/shop/shop-api:7.1.1. Health: Healthy",),
     [("shop-api", "7.1.1")]),
])
def test_platform_work_names_only_its_own_release(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # the Bitrix24 ecosystem: integrators updating a client's portal, Marketplace apps, the vendor's own updates
    ("Auf dem Produktivsystem haben wir heute das Modul tasks auf 24.300.2 aktualisiert", [("tasks", "24.300.2")]),
    ("доработка установлена на ваш портал: модуль acme.phone обновлён до версии 4.1.0", [("acme.phone", "4.1.0")]),
    ("a versão 2.1.0 do app tupi.invoices foi aprovada e publicada no Bitrix24 Market", [("tupi.invoices", "2.1.0")]),
    ("Установлено: Модуль «Диск» (disk) — версия 24.300.1, на боевом портале", [("disk", "24.300.1")]),
    ("✅ Deploy concluído\nApp: nfe-worker\nAmbiente: produção\nImagem: ghcr.io/acme/nfe-worker:2.1.2",
     [("nfe-worker", "2.1.2")]),
    ("acme.sync 2.1.0 is published in Bitrix24 Market, moderation passed", [("acme.sync", "2.1.0")]),
    ("В облаке у Битрикса уже раскатили tasks 24.400.0, а у клиента коробка", []),
    ("1С-Битрикс выпустили main 25.100.0, нас это пока не касается", []),
    ("Klient sam zaktualizował moduł crm do 24.500.3 w weekend", []),
    ("They ran the updates themselves on Saturday: crm 24.500.3 installed", []),
    ("The fix is in acme.router 2.5.0, which is currently in Market moderation", []),
    ("Wrzuciłem acme.invoices 1.5.2 na portal testowy", []),
    ("Вернули acme.phone 4.0.2 на бою, потому что 4.1.0 дублировала звонки", []),
    ("Окно согласовано: суббота. Ставим crm 24.500.5 на бой.", []),
])
def test_the_bitrix24_ecosystem_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ошибка с правами на воронки исправлена в crm 24.500.5 — установили клиенту на рабочий портал",
     [("crm", "24.500.5")]),
    ("We applied the sale 24.400.3 update on the client's live store tonight; the bug is gone", [("sale", "24.400.3")]),
    ("Producción actualizada ✅: crm 24.500.4", [("crm", "24.500.4")]),
    ("Мы установили обновление модуля «Бизнес-процессы» (bizproc) до версии 24.300.1 на ваш рабочий портал",
     [("bizproc", "24.300.1")]),
    # a rollback to a version named alone speaks of the pair on its line
    ("Итоги окна: im 24.600.1 — установлен на бой ✅; pull 24.100.2 — поставили, но откатили на 24.100.1 ❌",
     [("im", "24.600.1")]),
    ("Pulling registry.example.io/docs/pdf-render:0.9.17 ... done", []),
])
def test_integrators_updates_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # people writing in their own languages
    ("3.0.0 mobile-gw наконец-то в проде, неделю с ней возились", [("mobile-gw", "3.0.0")]),
    ("Wersja 1.4.1 stock-sync została wdrożona na produkcję", [("stock-sync", "1.4.1")]),
    ("Poszło na proda:\n- orders-api 3.8.0\n- orders-worker 3.8.0\nMigracje przeszły bez błędów.",
     [("orders-api", "3.8.0"), ("orders-worker", "3.8.0")]),
    ("Wdrozylem pay-gw 2.2.1 na produkcje, wszystko smiga", [("pay-gw", "2.2.1")]),
    ("Subí a prod el hotfix billing-mx 2.7.3, ya se generan bien los CFDI", [("billing-mx", "2.7.3")]),
    ("🤖 *Despliegue completado*\nServicio: rider-api\nVersión: v2.11.0\nEntorno: producción\nResultado: ✅ OK",
     [("rider-api", "2.11.0")]),
    ("hotfix auth-gw 2.4.5 вже в prod, можна ресетити алерт", [("auth-gw", "2.4.5")]),
    ("Итог по инциденту:\n— 3.3.0 откатили утром\n— вечером выкатили хотфикс crm-bridge 3.3.1",
     [("crm-bridge", "3.3.1")]),
    ("geo-svc 2.3.0 раскатили канарейкой на 5% трафика, остальное пока на старой", []),
    ("Wdrożenie stock-sync 1.4.0 planujemy na środę o 22:00", []),
    ("Przelew 12.450,00 zł zaksięgowany — już przez pay-gw 2.2.2, wdrożone wczoraj", [("pay-gw", "2.2.2")]),
    ("Собрал образ tender-portal 2.0.0, залил на их SFTP вместе с инструкцией", []),
])
def test_people_write_releases_in_their_own_languages(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a year's sample: what only looks like a release
    ("Call moved to 14.30 on 12.03.2025, room 4.2", []),
    ("Still reproducible on web-board 4.5.1 in prod: the export button spins forever", []),
    ("🤖 deploybot: pay-gw 1.34.0 → production: FAILED at step db-migrate. Previous version 1.33.0 is still serving.",
     []),
    ("Wir deployen alert-hub 4.0.0 am Dienstag auf Prod, vorher geht nichts raus wegen Freeze", []),
    ("Деплой order-link 2.5.0 на прод прервали на середине — упал healthcheck", []),
    ("Deployed to dev-2 (kyc-check 0.21.0), have a look", []),
    ("Ran Flyway 10.10.0 migrations on the prod DB, no app release needed", []),
    ("wallet-core 8.2.0 canary at 10% in prod-us, not promoted to the rest of the fleet yet", []),
    ("Liberamos app-socios 5.1.0 en Google Play, por ahora solo al 20% (lanzamiento escalonado)", []),
    ("Выкатили tiles-svc 2.0.0 только в регион msk-1, в остальные — после проверки нагрузки", []),
    ("🤖 Harbor: artifact pushed — harbor.acme.io/platform/audit-trail:1.4.0. Auto-deploy: disabled.", []),
    # and what is one
    ("App Store Connect: The status of your app Fleetly (iOS) version 3.14.0 has changed to Ready for Sale.",
     [("fleetly", "3.14.0")]),
    ("Deploy summary\n• prod: ledger 3.2.1 ✅\n• staging: ledger 3.3.0-rc.1 ✅\n• dev: ledger 3.3.0-SNAPSHOT ✅",
     [("ledger", "3.2.1")]),
    ("Обновили lodash до 4.17.21 из-за CVE. Это уже на проде в составе admin-ui 2.31.0.", [("admin-ui", "2.31.0")]),
    ("выкатил bonus-api 1.0.8, т.е. 1.8.0 конечно, опечатался", [("bonus-api", "1.8.0")]),
])
def test_a_years_sample_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_later_note_that_a_listed_package_is_just_a_bump_takes_it_back(shipped):
    assert chat(shipped, "Published to npm:\n- @acme/ui-kit@8.3.0\n- @acme/tokens@2.5.0",
                "Note: @acme/tokens 2.5.0 is just the token bump needed by the kit.") == [("@acme/ui-kit", "8.3.0")]


@pytest.mark.parametrize("text, expected", [
    # a word inside the release's own name is no cue
    ("Хотфикс 2.3.5 для pos-terminal опубликован, кассы обновились ночью", [("pos-terminal", "2.3.5")]),
    ("order-rollback-svc 1.4.0 deployed to production", [("order-rollback-svc", "1.4.0")]),
    ("web-staging 1.4.0 deployed", []),
    # a figure back to normal is no rollback
    ("[RESOLVED] HighLatency: quotes-api p95 back to 210 ms after deployment of quotes-api 1.11.2 to production",
     [("quotes-api", "1.11.2")]),
    ("errors started after the deployment of quotes-api 1.11.2", []),
    # typos people make
    ("deployd to prod w/ media-resizer 0.14.6, thumbs look good now", [("media-resizer", "0.14.6")]),
    # a card naming its component in its title
    ("GitLab: Deployment production для проекта loyalty-engine завершён\nТег: v1.30.0\nСтатус: success",
     [("loyalty-engine", "1.30.0")]),
    ("Jenkins: [B]crm-web #1423[/B] — Deploy to PRODUCTION: SUCCESS\nВерсия: 9.12.0\nАвтор: a.smirnova",
     [("crm-web", "9.12.0")]),
    ("Jenkins: [B]crm-web #1424[/B] — Deploy to STAGING: SUCCESS\nВерсия: 9.12.1\nАвтор: a.smirnova", []),
    # a short "yes" after a correction confirms it
    ("Ой, опечатался выше: правильно report-service 3.10.0, а не 3.1.0. Да, на проде.", [("report-service", "3.10.0")]),
    ("Тести пройшли, артефакт payments-3.3.0.tar.gz лежить у nexus. На прод — після апруву.", []),
])
def test_words_inside_names_figures_and_titles_are_read_for_what_they_are(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # a library moved inside the release, in its message or another, is no release of this task
    (["Выложили на прод crm-connector 2.5.0. Внутри обновили bitrix24-php-sdk до 1.1.0 и guzzle до 7.8.1."],
     [("crm-connector", "2.5.0")]),
    (["Исправил, заодно обновил Alamofire до 5.9.1, там был фикс по ретраям.",
      "✅ App Store Connect: dostavka-ios 2.11.1 (build 421) — Ready for Sale"], [("dostavka-ios", "2.11.1")]),
    # an upgrade that says where it went, or the chat's only one, is a release
    (["Обновили на проде payments до 3.9.3"], [("payments", "3.9.3")]),
    (["обновили payments до 3.9.3, проверьте"], [("payments", "3.9.3")]),
    (["Обновил у клиента модуль sign до 24.100.0 на боевом портале", "crm 24.300.1 тоже на бою"],
     [("crm", "24.300.1"), ("sign", "24.100.0")]),
    # an author owning up to naming the wrong component
    (["Wdrożone: magazyn-api 2.2.0",
      "Sorry, pomyłka — API się nie zmieniało. Poprawka jest w magazyn-worker 2.2.0 i to on poszedł na produkcję."],
     [("magazyn-worker", "2.2.0")]),
    # a release word in Polish is no component
    (["Powinno wejść do wydania 7.3.0 w czwartek.", "Hotfix ebank-web 7.3.1 wdrożony na produkcję."],
     [("ebank-web", "7.3.1")]),
])
def test_what_went_inside_a_release_or_was_named_by_mistake_is_not_one(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


def test_a_release_whose_sentence_names_another_task_is_that_tasks(shipped):
    texts = ["Задача #5077 создана: Менеджеры не видят комментарии", "crm-portal 1.7.0 на проде.",
             "FYI: вечером выкатили хотфикс crm-portal 1.7.1 (задача #5120). К этой задаче не относится."]
    messages = [Message(number, 100, text, "2026-06-10T14:51:00+02:00", is_system=number == 1)
                for number, text in enumerate(texts, 1)]
    found = extract_releases(shipped, reversed(messages))
    assert [(r.component, r.version) for r in found] == [("crm-portal", "1.7.0")]
    messages[2] = Message(3, 100, texts[2].replace("#5120", "#5077"), "2026-06-10T14:51:00+02:00")
    found = extract_releases(shipped, reversed(messages))
    assert [(r.component, r.version) for r in found] == [("crm-portal", "1.7.1")]


@pytest.mark.parametrize("text, expected", [
    # test stands of a bank, a plan in Portuguese, a tag and a build under way, a release switched off by a flag
    ("rko-gateway 2.16.0 установлен на ИФТ, передали на НТ. В ПРОМ — по плану через CAB 14.05.", []),
    ("A publicação do app-cliente 3.0.0 na App Store tá prevista pra semana que vem.", []),
    ("Тег v2.4.0 для label-printer поставил, сборка пошла. Деплой на прод завтра в 9:00.", []),
    ("Новый checkout 3.0.0 на проде выключили фичефлагом, у пользователей снова старый процесс.", []),
    # a test tool's version beside the release, a word for "today"
    ("### Чек-лист релиза mp-integrations 2.2.0\n- [x] Сборка и тесты (PHPUnit 10.5.20, 312 тестов)\n"
     "- [x] Выкладка на прод\nВсё готово — релиз на проде.", [("mp-integrations", "2.2.0")]),
    ("atualizamos o aplicativo comissoes-pro para a versão 2.0.2 hoje cedo.", [("comissoes-pro", "2.0.2")]),
    # a table's environment column in Spanish, a wait that ended in a log, es/pt "took it to production"
    ("Resumen:\n| Componente | Versión | Entorno |\n| tienda-web | 5.2.0 | producción |\n"
     "| tienda-api | 5.2.1 | staging |", [("tienda-web", "5.2.0")]),
    ("```\n→ Updating ECS service course-api-prod... done\n→ Waiting for service to stabilize... stable\n"
     "✔ Deployed course-api 2.7.1 to production\n```", [("course-api", "2.7.1")]),
    ("Sacamos a producción agenda-saas 1.30.0 con los recordatorios por WhatsApp 🎉", [("agenda-saas", "1.30.0")]),
    ("Confirmo que a nova versão (catalogo-b2b 1.3.0) tá funcionando no nosso site desde ontem.",
     [("catalogo-b2b", "1.3.0")]),
    # a recap's points are statements of their own
    ("Підсумок:\n- причина: кешування відповіді на 24 год, тому відділення не оновлювались\n"
     "- рішення: TTL 1 год\n- реліз: delivery-np 1.2.4 на проді з 11:00\nЗакриваю.", [("delivery-np", "1.2.4")]),
])
def test_a_markets_sample_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # what a quarter at three companies only looks like a release of
    ("Обновили в ledger jackson-databind до 2.17.2 — это закрывает CVE. Сам сервис поедет с релизным поездом.", []),
    ("[B]Релиз backoffice-web 12.3.0[/B] — выкачен на прод\nЗависимости: Angular 17.3.12, ag-grid 31.3.2 (обновлён).",
     [("backoffice-web", "12.3.0")]),
    ("[Alertmanager] 🔥 FIRING: HighErrorRate\nservice=payments-gateway version=4.19.0 env=prod", []),
    ("@release-bot aml-screening 1.4.0 → prod\nнужен апрув от комплаенса, без него окно не откроют", []),
    ("`git tag -a v2.32.0 -m \"ledger 2.32.0\" && git push --tags` — done.", []),
    ("Geplanter Go-Live für ats-sync 2.13.0: Dienstag 06:00 CET.", []),
    ("SmartRecruiters released v2 of their API last week (their Node SDK 2.4.0), nothing to deploy on our side.", []),
    ("Só acontece no Edge 129.0.2792.79. Versão da extensão instalada no cliente: 3.10.0.", []),
    ("📱 loyalty-app 4.0.0 dostępna w Google Play i App Store od 14.10 (100% użytkowników).",
     [("loyalty-app", "4.0.0")]),
])
def test_a_quarters_sample_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # the version production runs while the bug is reported, and a chat closed with no release
    (["Версія на проді eshop-web 5.2.1, у кошику помилка доставки.", "Увімкнув фолбек в адмінці, без релізу.",
      "НП виправили збій на своєму боці."], []),
    (["Desde ayer nadie entra por SSO. En producción tenemos web-app 8.12.0.", "Cargado el metadata nuevo, funciona."],
     []),
    (["На проде сейчас limits-service 4.2.0, там всё уже поддерживается.",
      "Применил изменение в окно. Сервис не перезапускался, релиза не было."], []),
    # ... but "this version is on prod" and a correction naming the version in production are releases
    (["ошибка в socialnetwork 24.600.0, в 24.600.1 исправлено — эта версия на проде с прошлой пятницы"],
     [("socialnetwork", "24.600.1")]),
    (["Subiu pra produção no calendar 24.125.0",
      "Correção: a versão em produção é calendar 24.125.2; a 24.125.0 ficou só em homologação."],
     [("calendar", "24.125.2")]),
    # a rollback in Polish; a word and an attachment that are no components
    (["loyalty-api 3.4.0 na produkcji.", "Wyłączyłem job i cofnąłem loyalty-api do 3.3.0."], []),
    (["Aplikacja 4.0.2 na Androidzie i iOS, punkty nie dochodzą.", "loyalty-api 3.3.0 wdrożone na produkcję."],
     [("loyalty-api", "3.3.0")]),
    (["Dry-Run-Report im Anhang: 4.187 Paare, 13 ohne E-Mail.", "Skript auf Prod ausgeführt: 4.187 Merges."], []),
    (["❌ deploy-prod wms-bridge 1.9.0 FAILED", "Dodałem zmienną, przy okazji poprawka walidacji — wersja 1.9.1.",
      "✅ deploy-prod wms-bridge 1.9.1 SUCCESS (2/2 pods ready)"], [("wms-bridge", "1.9.1")]),
])
def test_what_production_ran_before_the_fix_is_no_release_of_it(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # every store, register and device, in seven languages
    ("Wgrałem pos-agent 2.14.3 na wszystkie kasy — 212/212 sklepów potwierdziło aktualizację.",
     [("pos-agent", "2.14.3")]),
    ("kassa-agent 3.1.0 установлен на всех кассах сети", [("kassa-agent", "3.1.0")]),
    # the component named in prose apart from its version; another pair's "unrelated" stays with that pair
    ("Producent wypuścił sterownik Posnet 6.3.2, ale to nie dotyczy tego zadania — nasz problem był po stronie "
     "kassa-front i jest już poprawiony w 5.2.1, która działa na wszystkich kasach.", [("kassa-front", "5.2.1")]),
    # a release's heading with its state, and the day it went out
    ("## price-tags-service 1.8.0 — реліз ✅\nВикатили на прод 24.09, розсилка шаблонів завершена.",
     [("price-tags-service", "1.8.0")]),
])
def test_stores_prose_subjects_and_headings_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a train's line or remark pointing at this task names this task's release among the others
    ("[B]Weekly train — shipped to prod[/B]\n| Service | Version | Task |\n| gateway | 2.3.0 | #10412 |\n"
     "| ledger | 1.9.4 | #10398 (this one) |\n| webhooks | 0.18.2 | #10377 |", [("ledger", "1.9.4")]),
    ("Se desplegaron hoy: catalog 3.5.0 (esta tarea) y search-indexer 1.25.1 (tarea #4410). Ambos en producción.",
     [("catalog", "3.5.0")]),
    ("Today's train delivered gateway 2.6.0, media-proxy 3.2.0 and webhooks 0.21.1 to production. For this ticket "
     "the relevant one is media-proxy 3.2.0.", [("media-proxy", "3.2.0")]),
    ("Für dieses Ticket sind jetzt live: tax-engine 9.1.0 und pricing-engine 2.9.0.",
     [("pricing-engine", "2.9.0"), ("tax-engine", "9.1.0")]),
    ("The train is out. Our change rides in ledger 2.9.1 — payments 3.14.0 and notifier 1.22.5 are other teams'.",
     [("ledger", "2.9.1")]),
    # a test environment on a card's field or after an arrow, in Portuguese too
    ("🔔 Deploy concluído\nApp: checkout-web\nVersão: 8.2.0\nAmbiente: homologação\nStatus: sucesso", []),
    ("🚧 Deploy → stage\nservice: reporting\nversion: 11.4.0\nresult: OK", []),
])
def test_a_trains_line_for_this_task_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # "since X rolled out" reports a bug on X
    (["Since mobile 6.1.0 rolled out, ~3% of DAU get logged out daily.", "auth-service 9.3.0 released to production"],
     [("auth-service", "9.3.0")]),
    # a correction naming the right version first
    (["Deployed to prod: statements-api 12.4.0 ✅", "small correction: prod got 12.4.1, not 12.4.0."],
     [("statements-api", "12.4.1")]),
    # a canary switched off, and nothing went out for this task
    (["platnosci-service 1.9.0 → canary (5% ruchu) ✅", "platnosci-service canary wyłączony, 100% ruchu na 1.8.4 ✅",
      "Tu nic nie wyszło na produkcję, kontynuacja w #5120."], []),
    # a solver library's version beside the team's own release
    (["OR-Tools 9.10 has a much better local search for this — we're on 9.7.",
      "route-optimizer 4.0.0 → production ✔"], [("route-optimizer", "4.0.0")]),
])
def test_long_chats_keep_only_what_shipped_this_task(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # a release named with its state after a dash, a heading's "(all prod)", "нужно было" in the past
    ("Итог по задаче:\n1. Обновил клиент kafka до 3.6.1 (заодно).\n2. Релиз: sms-gateway 1.18.0 — прод, 15:30.",
     [("sms-gateway", "1.18.0")]),
    ("Релиз по задаче (все три сервиса нужно было выкатывать вместе):\n• auth-service 3.15.0\n• user-profile 2.4.0\n"
     "Всё на проде с 18:20.", [("auth-service", "3.15.0"), ("user-profile", "2.4.0")]),
    # "this task" claimed by its pair before the guards: another pair's "unrelated" is not its
    ("На проде: search-indexer 1.24.0 (наш фикс пагинации) и media-proxy 3.1.0 (это от команды контента, к задаче не "
     "относится).", [("search-indexer", "1.24.0")]),
    # ... and "unrelated to this task" claims nothing
    ("Released kanban 1.9.0 to prod. Unrelated to this task, but disk 24.200.5 also went out in the same window.",
     [("kanban", "1.9.0")]),
    ("QA: reproduced on web_frontend 5.3.1 (prod) in Firefox 125.0.3. Not fixed, moving back to In progress.", []),
])
def test_a_recap_and_its_claims_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # "this task was about X": the others' releases in the message are not its
    ("Pociąg 47: gateway 2.4.0 ✅ prod, notifications 2.11.0 ✅ prod, geo-service 4.1.0 ❌ wstrzymany. "
     "To zadanie dotyczyło geo-service, więc jeszcze nie wyszło.", []),
    # reproduced with a version on prod; a build sent to homologação
    ("На проде воспроизводится с checkout-web 8.2.0 в Safari 16.6 — кнопка не кликается. Переоткрываю.", []),
    ("subiu pra homolog o scheduler 6.3.2, agendamentos ok agora. prod so semana q vem", []),
    ("Testei em homolog com o boleto-service 3.0.1 e passou; já subiu pra prod também, conferi lá.",
     [("boleto-service", "3.0.1")]),
])
def test_what_a_task_is_about_and_where_a_bug_shows_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a feature named "Scheduled …" is no plan; a deploy log that ends finished is no deploy under way
    ("Feature *Scheduled deliveries* is fully live:\n- backend: orders-api 5.10.1 (prod)\n"
     "- courier-ios 5.10.0 (App Store, released)", [("courier-ios", "5.10.0"), ("orders-api", "5.10.1")]),
    ("orders-api 5.10.1 scheduled for Monday", []),
    ("```\nRun ./deploy.sh production\n→ Deploying scheduler@6.3.0 to production (eu-central-1)\n"
     "  ✓ rollout: 6/6 pods ready\nDeployment finished in 3m 42s\n```", [("scheduler", "6.3.0")]),
])
def test_names_and_logs_that_only_look_unfinished_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # Russian typed in Latin letters, slang, a "*" line correcting a typo, "rel", Polish, a team next door
    ("vykatili na boy notifier 5.0.2, vse ok", [("notifier", "5.0.2")]),
    ("v prode uzhe auth-svc 2.9.0, zakryvayu", [("auth-svc", "2.9.0")]),
    ("vykatim auth-svc 2.9.1 zavtra", []),
    ("шипнули в прод, orders 2.2.1", [("orders", "2.2.1")]),
    ("залил billing 2.4.0 на бой\n*2.4.1 конечно", [("billing", "2.4.1")]),
    ("rel 5.2 of export-svc is out, ur fix included", [("export-svc", "5.2")]),
    ("wypuszczone 🚀 faktury-api 0.9.0", [("faktury-api", "0.9.0")]),
    ("у соседей вышел crm-mobile 12.1.0, нас не касается", []),
    ("sry, tippfehler: nicht wiki 2.7.1 sondern wiki 2.7.2 ist live", [("wiki", "2.7.2")]),
])
def test_what_people_type_from_a_phone_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_store_status_changed_from_a_pending_state_to_ready_for_sale_is_a_release(shipped):
    assert chat(shipped, "shop-ios 6.4.0 (2025): status changed from Waiting for Review to In Review",
                "shop-ios 6.4.0 (2025): status changed from Pending Developer Release to Ready for Sale") == \
        [("shop-ios", "6.4.0")]


@pytest.mark.parametrize("text, expected", [
    # a correction naming the pair again after "typo:", even at the end of a sentence
    ("Shipped invoice-svc 3.1.0 - my typo, sorry: invoice-svc 3.0.1. No 3.1.0 exists yet.",
     [("invoice-svc", "3.0.1")]),
    # the same version said again, alone, and not released yet
    ("Im Release 5.2.3 ist der Fehler behoben, aber 5.2.3 ist noch nicht freigegeben.", []),
    # "as planned" right after "this morning": two phrases to ignore side by side
    ("tv-app 8.1.0 went live this morning as planned", [("tv-app", "8.1.0")]),
    # a contrast naming something else is no negation of the pair
    ("The fix lives in the library, not the app: @shop/cart-core 2.2.0 is published to npm.",
     [("@shop/cart-core", "2.2.0")]),
    # no complaints since it went live: the fix confirmed, not a bug since a release
    ("Zero tickets about it since invoice-svc 3.0.1 went live on Monday.", [("invoice-svc", "3.0.1")]),
    # what a customer still runs, a build waiting for acceptance, an artifact built for a manual deploy
    ("O cliente ainda usa invoice-svc 3.0.0; a correção vem na próxima versão.", []),
    ("Wersja 3.0.2 invoice-svc czeka na akceptację klienta.", []),
    ("Артефакт invoice-svc 3.0.2 собран, на прод — вручную после согласования.", []),
    ("Артефакт invoice-svc 3.0.2 собран и выложен на прод.", [("invoice-svc", "3.0.2")]),
    # a setting's value is no release; a rollout in Ukrainian to every warehouse is one
    ("Done in prod:\n| campaign | SPRING-25 |\n| multiplier | 1.5 |\n| stores | 40 |", []),
    ("invoice-svc 3.0.2 розкатали на всі склади ще вчора.", [("invoice-svc", "3.0.2")]),
])
def test_a_qa_teams_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # nothing needed changing: the version named is what production runs
    (("Analysed: no code change needed, the report has a timezone option. Prod runs invoice-svc 3.0.2 — it has "
      "been there for months.", "Told finance, closing."), []),
    (("Прошивку (gate-fw 4.1.0 на проді) чіпати не треба, міняємо лише тексти.",), []),
    # unless it says the fix is in it, or the remark is about something else after the release
    (("No code change needed: already fixed in invoice-svc 3.0.2, which is live.",), [("invoice-svc", "3.0.2")]),
    (("Shipped to prod: invoice-svc 3.0.2. The last customer sends their settings next week (config only, no "
      "release needed).",), [("invoice-svc", "3.0.2")]),
    # another person's task in the same deploy window
    (("Deployed successfully fare-calc release 6.1.0 to Production", "Deployed successfully reports release 5.1.0 "
      "to Production", "(reports 5.1.0 is Anna's export task, it just used the same window - nothing from fares "
      "in it.)"), [("fare-calc", "6.1.0")]),
    # an app's display name on a store card is the app its id names
    (("The status for the following app has changed to Ready for Distribution.\nApp Name: MetroPass Go\n"
      "App Version Number: 4.6.0", "metro-mobile 4.6.0 is live on both stores; MetroPass QA confirmed it"),
     [("metro-mobile", "4.6.0")]),
])
def test_an_integrators_chats_keep_only_this_tasks_releases(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("texts, expected", [
    # a store card names the app by its store id and display name; the team calls it otherwise
    (("Crash in lessons-app 3.1.0 when the camera starts", "Lessons (org.schoolnet.lessons): release 3.1.1 (311) is "
      "now available to 100% of users on the Production track.", "3.1.1 is at 100% on Google Play."),
     [("lessons-app", "3.1.1")]),
    (("The status of your app, Lessons (iOS) 3.1.1 (311), is now Ready for Sale.", "Lessons (org.schoolnet.lessons): "
      "release 3.1.1 is now available to 100% of users", "lessons-app 3.1.1 доступен всем в обоих сторах."),
     [("lessons-app", "3.1.1")]),
    # a crash alert names the release it crashed in; a task closed as won't fix shipped nothing
    (("🔴 New issue LESSONS-7Q1: EXC_BAD_ACCESS (SIGSEGV)\nrelease: lessons-app@3.1.0+300 · environment: production",
      "It's an OS bug; I'd close as won't fix on our side."), []),
    # a plugin's platform upgraded by the customer, a version named by its shipping verb
    (("Вчера обновили Moodle до 4.4.3, и плагин grade_export 2.4.0 сломался.", "grade_export 2.4.1 собран.",
      "Установили 2.4.1 на прод в 14:05."), [("grade_export", "2.4.1")]),
    # where each version went, in brackets; "the big 5.0 launch" is no component
    (("Summary for the release log: proctor-api 5.4.1 (cloud) is in production.",), [("proctor-api", "5.4.1")]),
    (("timetable-api 2.13.0 in prod. The app release is the big 5.0 launch and has its own task.",),
     [("timetable-api", "2.13.0")]),
    # a claim asked about is no claim
    (("deploy:production ✅ lms-core 3.19.2", "The release notes say it's fixed in lms-core 3.19.1. Is that right?"),
     [("lms-core", "3.19.2")]),
])
def test_a_campus_chats_releases_are_read_under_the_teams_names(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # firmware waves and store rollouts held short of everyone, or halted
    ("Fixed in box-fw 6.5.1 - but it's only in the 1% wave right now.", []),
    ("Перша хвиля box-fw 6.8.0 (1%) пішла, поки тихо.", []),
    ("Остановили поэтапный релиз tv-android 3.6.0 на 5% в Google Play, разбираемся.", []),
    ("Wstrzymaliśmy tv-android 8.4.0 w Google Play (halt rollout przy 20%).", []),
    ("Третья волна box-fw 5.7.0 завершилась, в консоли State: COMPLETED.", [("box-fw", "5.7.0")]),
    # store states and APM markers
    ("tv-tizen 4.3.0 certification passed, Samsung set it to On Sale this morning.", [("tv-tizen", "4.3.0")]),
    ("New Relic · Deployment recorded\nEntity: care-api-prod\nVersion: 3.22.1", [("care-api", "3.22.1")]),
    ("Fix ist drin: tv-webos 2.9.1 ist im LG Content Store freigegeben.", [("tv-webos", "2.9.1")]),
    ("Hotfix tv-webos 2.9.2 ist freigegeben und geht heute Nacht live.", []),
    # a night's work reported done, a window thanked for "tonight", a rollback not needed
    ("1. Обновление DPI (dpi-core 3.4.0) — выполнено, все 4 узла\n2. Обновление PCRF до 8.2.1 — перенесено",
     [("dpi-core", "3.4.0")]),
    ("Upgrade to hlr 21.5.2 was completed inside the approved window.\nRollback not required. Thank you for the "
     "support tonight.", [("hlr", "21.5.2")]),
    ("Both went out tonight: ocs 9.2.0 (this task) and pcrf 8.2.0 (unrelated).", [("ocs", "9.2.0")]),
    # a table's environment cell after the pair, a line of versions, a test device, a check on one PoP
    ("Релиз выполнен\n| Компонент | Версия | Среда |\n| esim-web | 2.7.0 | PROD |\n| esim-web | 2.8.0-rc.1 | STAGE |",
     [("esim-web", "2.7.0")]),
    ("care-api 3.23.1 is on the customer portal (Downloads → Care → 3.23.x).", [("care-api", "3.23.1")]),
    ("Na urządzeniu testowym mam tv-android 3.7.1 z wewnętrznego testu.", []),
    ("Обновил edge-cache до 2.16.1 только на msk1 для проверки гипотезы.", []),
    ("deplyoed ott-web 12.4.0 to prd 👍", [("ott-web", "12.4.0")]),
    ("Релиз-кандидат ott-api 5.3.0-rc.2 прошёл нагрузочное, в пятницу идём в прод.", []),
    ("Лог джобы deploy:stage\n$ ./deploy.sh --env stage --service care-api --version 3.24.0\nJob succeeded", []),
    ("[deploy] rolling update care-api -> 3.23.1 (12 replicas)\n[deploy] 12/12 ready\nJob succeeded",
     [("care-api", "3.23.1")]),
])
def test_a_telecoms_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    # "typo" owns up to naming the wrong component; nothing of this task left in the field
    (("Deployed line-core 2.17.0 to Plant 1.", "Yes, sorry - typo. It's line-web 2.17.0 that's in production."),
     [("line-web", "2.17.0")]),
    (("gw-fw 4.3.0 rolled out to Plant 1", "Rolling back all Plant 1 gateways to 4.2.0.",
      "AWX Job #6391 'gw-firmware-rollout' Successful | firmware_version=4.2.0",
      "All gateways are on 4.2.0, nothing from this task remains in the field. Closing."), []),
])
def test_a_plants_chats_end_in_what_stayed_in_the_field(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    # a change closed as successful names its upgrade as a noun; a put into operation; a quoted project name
    ("Change CHG0041877 has been moved to state CLOSED - SUCCESSFUL.\nShort description: Upgrade land-registry to "
     "3.14.2", [("land-registry", "3.14.2")]),
    ("land-registry 2.2.0 введён в промышленную эксплуатацию 15.03.2025.", [("land-registry", "2.2.0")]),
    ("Deployment of project \"fraud-rules\" release 2.17.0 to Production: SUCCESS", [("fraud-rules", "2.17.0")]),
    ("El paso a producción de sede-web 3.4.1 se realizó anoche sin incidencias.", [("sede-web", "3.4.1")]),
    ("Rollout von buerger-web 4.3.0 abgeschlossen: Produktion läuft.", [("buerger-web", "4.3.0")]),
    ("Verified on pre-prod 🟢 and on prod 🟢 after yesterday's install of land-registry 3.16.1.",
     [("land-registry", "3.16.1")]),
    ("Після відкату 3.2.0 зібрали 3.2.1, e-office 3.2.1 встановлено на прод сьогодні.", [("e-office", "3.2.1")]),
    ("mobile-api 2.7.3 went live in production last night (DR had it already since the failover test).",
     [("mobile-api", "2.7.3")]),
    # a DR site, a pre-production environment, a bug reproduced on a version, a spec, a document's number
    ("Installed mobile-api 2.7.3 on the DR site only; production has not been touched.", []),
    ("На передпродуктивне середовище розгорнуто sync-api 4.1.0, чекаємо протокол.", []),
    ("La incidencia se reprodujo con la versión 3.4.1 de sede-web en producción.", []),
    ("Heads up: the Tax Service published XSD schema version 5.04.", []),
    ("We'll need a new tax-bridge release for it, nothing has been deployed yet: tax-bridge 4.3.0 is on test.", []),
    ("RELEASE NOTES - DOC. NO. RN-CBS-2025-014 (ver. 1.0)\nInstalled to PRODUCTION: cbs-bridge 7.5.0",
     [("cbs-bridge", "7.5.0")]),
])
def test_a_public_sector_contractors_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a question in Polish, answered yes to its quote; closed testing; nodes drained of traffic; a guess
    ("Pytanie: czy poprawka jest już w e-post 2.3.1, czy dopiero w 2.4.0?", []),
    ("[QUOTE]Czy poprawka jest już na produkcji w e-post 2.3.1?[/QUOTE]\nTak 👍", [("e-post", "2.3.1")]),
    ("Бета 3.7.0-beta.2 citizen-app выложена в закрытое тестирование Google Play.", []),
    ("Node group A was updated to bank-adapter 8.0.1 but is still drained from the load balancer.", []),
    ("lol, thought 1.9.1 would fix it; intranet 1.9.1 did go to prod, but the bug is still there.", []),
    # application servers and drivers beside a release
    ("Deployed cbs-bridge 7.7.0 to production (ojdbc 19.23.0.0, Tomcat 10.1.19).", [("cbs-bridge", "7.7.0")]),
])
def test_a_public_sector_contractors_questions_tests_and_runtimes_are_no_releases(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_heading_naming_the_day_in_full_heads_the_list_under_it(shipped):
    assert chat(shipped, "Components delivered to PRODUCTION on 19.07.2025:\n- portal-web 6.2.0\n- portal-api 6.2.0") \
        == [("portal-api", "6.2.0"), ("portal-web", "6.2.0")]


@pytest.mark.parametrize("text, expected", [
    # a customer's approval is no failure; a commissioning confirmed; an install done at both sites
    ("citizen-ios 5.4.1 released to all users (phased release skipped with the customer's approval).",
     [("citizen-ios", "5.4.1")]),
    ("Подтверждаем ввод в эксплуатацию версии 2.6.0 подсистемы lk-tax.", [("lk-tax", "2.6.0")]),
    ("Установка lk-tax 2.6.1 завершена на обеих площадках, проверки ок.", [("lk-tax", "2.6.1")]),
    # a day and a time are no version: "18.10 в 23:40"
    ("Установили tax-bridge 4.4.0, как и планировали, 18.10 в 23:40.", [("tax-bridge", "4.4.0")]),
])
def test_a_public_sector_contractors_installs_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_newer_message_naming_a_release_by_the_last_word_of_its_name_keeps_the_full_name(shipped):
    assert chat(shipped, "booking-portal 3.2.0 → production ✔", "Portal 3.2.0 is live, thanks all") == \
        [("booking-portal", "3.2.0")]


def test_portal_can_be_a_components_name(shipped):
    assert chat(shipped, "deployed portal 5.2.0 to production") == [("portal", "5.2.0")]


def test_a_rollback_in_one_sentence_takes_back_nothing_the_next_sentence_names_as_working(shipped):
    assert chat(shipped, "orders 3.1.0 deployed to production", "orders 3.0.5 deployed to production",
                "orders 3.1.1 deployed to production",
                "3.1.0 откатывали на 3.0.5 — падал при старте. 3.1.1 — рабочая, заказы больше не пропадают.") == \
        [("orders", "3.1.1")]


@pytest.mark.parametrize("text", [
    "etl-job 2.3.0 deployed to prod (Hadoop 3.3, Scala 2.13.12), the nightly run is green",
    "vector-search 1.6.0 is live in prod (pgvector 0.7.0 under the hood, kafka-clients 3.6.1 for the bus)",
])
def test_what_a_release_runs_on_named_in_brackets_after_it_is_no_release(shipped, text):
    assert [pair for pair in chat(shipped, text)] == [(text.split()[0], text.split()[1])]


def test_the_last_point_of_a_changelog_is_not_read_as_said_of_the_release_above_it(shipped):
    assert chat(shipped, "pos-agent 2.1.0 published to the update server. What's inside:\n- the new payment type\n"
                         "- a fiscal timeout now shows a clear error instead of waiting forever") == \
        [("pos-agent", "2.1.0")]


def test_a_card_titled_with_its_project_gives_the_project_to_the_version_it_names_alone(shipped):
    assert chat(shipped, "newsletter: Deployment to production succeeded\n"
                         "Environment: production · Ref: v2.8.0 · Triggered by anna.k") == [("newsletter", "2.8.0")]


@pytest.mark.parametrize("texts", [
    ("Код не нужен — в promo-engine 4.2.0 (что сейчас в проде) это настраивается правилом в админке.",),
    ("На проде billing-core 7.3.0, расчёт работает как задумано, неверные данные в справочнике.",
     "Нет, релиз не нужен: поправил зону и запустил перерасчёт."),
])
def test_a_task_needing_no_code_or_release_names_what_production_runs_not_a_release(shipped, texts):
    assert chat(shipped, *texts) == []


@pytest.mark.parametrize("text, expected", [
    ("the fix was already in docs-site 3.0.9 which is on prod since last week; the 3.1.0-rc.2 on staging is "
     "unrelated to this ticket", [("docs-site", "3.0.9")]),
    ("released in profile-api 2.4.0 — sorry, typo, it's profile-api 2.4.1 (2.4.0 was the hotfix for the other "
     "ticket)", [("profile-api", "2.4.1")]),
])
def test_unrelated_said_of_a_version_in_its_own_phrase_is_said_of_that_version_alone(shipped, text, expected):
    assert chat(shipped, text) == expected


def test_a_scoped_package_and_its_tarball_name_are_one_release(shipped):
    assert chat(shipped, "published:\nnpm notice name: @acme/forms\nnpm notice filename: acme-forms-2.1.0.tgz\n"
                         "+ @acme/forms@2.1.0") == [("@acme/forms", "2.1.0")]


@pytest.mark.parametrize("text, expected", [
    ("Раскатили pricing 2.4.1 на 100% (до этого двое суток была канарейка 5%).", [("pricing", "2.4.1")]),
    ("DAG bundle `etl-core` 2025.4.1 synced to prod Airflow, the first run is green", [("etl-core", "2025.4.1")]),
    ("После вчерашнего отката: ranker 2.1.1 с исправлением раскатан на всех пользователей.", [("ranker", "2.1.1")]),
    ("after yesterday's rollback (4.0.0 → 3.9.2) we shipped scorer 4.0.1 with the fix", [("scorer", "4.0.1")]),
    ("kit-cli 0.9.1 já está no Homebrew — `brew upgrade kit-cli`", [("kit-cli", "0.9.1")]),
    ("commons-util 3.1.0 is in Maven Central now", [("commons-util", "3.1.0")]),
    ("Образ notebook-cpu 2025.05.0 теперь дефолтный для всех в JupyterHub.", [("notebook-cpu", "2025.05.0")]),
    ("Проверили: у клиента стоит модуль pricelist.pro 2.0.1, исправление вошло именно в него.",
     [("pricelist.pro", "2.0.1")]),
    ("etl-bundles 2025.4.2 is deployed to airflow-dev, prod after QA sign-off", []),
    ("Собрал notebook-cpu 2025.06.0 и залил в registry, добавил как experimental — по умолчанию пока не ставим.", []),
    ("Anulowane wdrożenie auth-bridge 2.0.0 — czekamy na zgodę bezpieczeństwa.", []),
    ("Atualizamos o Flink de 1.17.1 para 1.18.0 no cluster de dev.", []),
    ("Pipeline #123 passed for scorer 4.1.0\nImage pushed: registry.example.com/ml/scorer:4.1.0\nDeploy job: manual",
     []),
    ("Проверила на Samsung QE55 (Tizen 6.5) — субтитры есть только в VOD", []),
])
def test_a_platform_teams_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    (("Деплой importer 3.0.1 → test: успешно (2/2 инстанса)",
      "Деплой importer 3.0.1 → prod: ОТМЕНЁН (окно релизов закрыто до 09.01)"), []),
    (("Deployment of release Release-12 on stage UAT succeeded.\nArtifact: claims-web 8.2.0",
      "Deployment of release Release-12 on stage Production succeeded.\nArtifact: claims-web 8.2.0"),
     [("claims-web", "8.2.0")]),
    (("Заодно выкатили cms 12.4.2 — это по задаче про галереи, к счётчику отношения не имеет.",), []),
    (("menu 1.5.0 на проде.", "Откатил menu на 1.4.6, скорость вернулась. 1.5.0 снята."), []),
])
def test_bots_and_people_relaying_releases_are_read(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("text, expected", [
    ("Listo, hicimos el deploy de tienda-web 4.2.0 a prod 🙌", [("tienda-web", "4.2.0")]),
    ("Rebyata, fix uzhe na produkcii, version reports-api 2.1.4", [("reports-api", "2.1.4")]),
    ("vykotyly na prod crm-portal 1.3.0, vse pratsyuye", [("crm-portal", "1.3.0")]),
    ("just pushed the button and shop-web 3.18.0 is now live on production, let me know if anything looks weird",
     [("shop-web", "3.18.0")]),
    ("Roses are red, prod is not down, media-svc 2.0.1 is live in town", [("media-svc", "2.0.1")]),
    ("billing-api 1.17.0 выкатили на прод после тестов на стейдже, полёт нормальный", [("billing-api", "1.17.0")]),
    ("короче выкатил profile-svc 2.6.0 на прод, проверьте пожалуйста у себя", [("profile-svc", "2.6.0")]),
    ("Zrobiłem deploy, grafik 1.9.0 jest już live na prodzie, daj znać czy działa", [("grafik", "1.9.0")]),
    ("first attempt of kyc 1.0.13 failed on the migration, second attempt went through, it's live now",
     [("kyc", "1.0.13")]),
    ("Выложили в prod analytics 2.3.0... тьфу, analytics 2.3.1", [("analytics", "2.3.1")]),
    ("Sorry for late answer, inside version 2.5.0 of stock-app is the fix, already on production",
     [("stock-app", "2.5.0")]),
    ("выкатка orders 4.4.0 на прод запланирована на 23:00", []),
    ("Якби ми викотили admin-web 1.9.0 ще в березні, клієнт би не скаржився", []),
    ("зарелизили бы mobile-bff 2.1.0 ещё вчера, если бы не фриз", []),
    ("готово ✅ kassa 1.1.0 в тесте, на прод после апрува", []),
    ("Sí claro, en producción... nomina 2.2.0 ni siquiera pasó los tests todavía", []),
])
def test_how_people_write_is_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    (("+ helm upgrade --install gw charts/gw -n prod --set image.tag=1.5.1 --wait\n"
      "Error: UPGRADE FAILED: context deadline exceeded\nFinished: FAILURE",), []),
    (("wallet-app 4.6.0 liberado pra 10% dos usuários na Play Store",), []),
    (("Обновили зависимость pyspark 3.5.1 → 3.5.2 в sessionizer, релиз соберём позже.",), []),
    (("Version 2.14 der termin-app ist seit heute Morgen live.",), [("termin-app", "2.14")]),
    (("✅ Deployment to Staging successful\npartner-api · 2.32.0 · Pipeline #1842",
      "✅ Deployment to Production successful\npartner-api · 2.32.0 · Pipeline #1847 · promoted from Staging"),
     [("partner-api", "2.32.0")]),
    (("paywall: Deployed to production\nv5.4.0 · by ben.c · 2 minutes ago",
      "5.4.0 is live. FYI 5.4.1 is scheduled for Thursday, but that's another task."), [("paywall", "5.4.0")]),
    (("$ docker push registry.example.com/fin/ledger:1.12.2\nThe push refers to repository "
      "[registry.example.com/fin/ledger]\n5f70bf18a086: Pushed\n1.12.2: digest: sha256:7b1e3c9a size: 2419",), []),
])
def test_cards_and_relays_are_read_by_what_their_fields_say(shipped, texts, expected):
    assert chat(shipped, *texts) == expected


@pytest.mark.parametrize("texts, expected", [
    (("Task created: OPS-901 Route ETA ignores service time",
      ":rocket: route-ui 1.33.0 deployed to production\nIncluded: OPS-882 (map clustering), OPS-887 (dark mode)"), []),
    (("Task created: OPS-910 Import breaks on commas",
      "Нет, 2.2.0 — это только импорт из Excel для OPS-905. Наш фикс поехал отдельным патчем: import-svc 2.2.1, "
      "на проде с утра."),
     [("import-svc", "2.2.1")]),
    (("chat-gateway 5.0.0 went out today and it strips every emoji outside the BMP",
      "Then we're not doing this in this quarter. Closing; a fresh ticket comes when the gateway supports it."), []),
])
def test_a_release_listing_other_issues_or_a_task_dropped_is_no_release_of_this_task(shipped, texts, expected):
    messages = [Message(number, 100, text, "2026-06-10T14:51:00+02:00", is_system=text.startswith("Task created"))
                for number, text in enumerate(texts, 1)]
    assert sorted((r.component, r.version) for r in extract_releases(shipped, reversed(messages))) == expected


@pytest.mark.parametrize("text, expected", [
    ("Die Core-Switches sind auf IOS XE 17.9.5 aktualisiert, alle Uplinks wieder oben.", []),
    ("Оновили прошивку на Palo Alto до PAN-OS 10.2.9-h1, HA-пара перемкнулась без втрат.", []),
    ("HashiCorp hat Vault 1.17.2 veröffentlicht; unser Vault-Cluster läuft seit gestern darauf.", []),
    ("Dell BIOS 1.18.0 pushed to the Latitude fleet, 71% applied.", []),
    ("Обновление KB5041585 (Windows 11 23H2, сборка 22631.4037) установлено на 95% ноутбуков.", []),
    ("Cluster de produção atualizado pro Kubernetes 1.29.7, junto com ingress-nginx 1.11.1 e cert-manager 1.15.1.", []),
    ("Podbiliśmy obraz bazowy do alpine 3.20.1 — sam rebuild, bez zmiany wersji aplikacji.", []),
    ("ClickHouse обновлён до 24.3.6.48 LTS. Сам audit-log не трогали, дашборды стали быстрее.", []),
    ("Scratch my earlier message (\"ops-desk 2025.6.0 is live\") — that was the staging URL, my bad.", []),
    ("Snyk weekly:\n\n> Snyk found 2 new vulnerabilities in corp/keybroker (go.mod)\n> High severity: Denial of "
     "Service in github.com/jackc/pgx/v5\n> Introduced through: github.com/jackc/pgx/v5@5.5.3\n> Fixed in: 5.5.4\n\n"
     "will bundle the bump into the next keybroker build", []),
    ("our cert rotation tool certpilot 0.9.3 is deployed to prod", [("certpilot", "0.9.3")]),
    ("В проде: keybroker 1.16.1 и certpilot 1.1.0 (ротатор теперь забирает ключи из keybroker, а не с диска).",
     [("certpilot", "1.1.0"), ("keybroker", "1.16.1")]),
    ("Our releases:\n- audit-log 0.19.1 (prod) — the retention job no longer locks the table",
     [("audit-log", "0.19.1")]),
    ("в проде keybroker 1.16.2, а не 1.16.1 — 1.16.1 откатили через 10 минут из-за миграции.",
     [("keybroker", "1.16.2")]),
    ("[B]Релиз[/B]: audit-log 0.15.1 — в проде ✅\n[LIST]\n[*]фикс дублей при ретраях Kafka producer\n"
     "[*]librdkafka обновлён до 2.3.0\n[/LIST]", [("audit-log", "0.15.1")]),
    ("Spinnaker pipeline \"authgate-release\" → stage \"Promote to prod\": SUCCEEDED\nartifact: authgate 2.13.0",
     [("authgate", "2.13.0")]),
    ("prod audit nodes are on audit-log 0.17.0 now.", [("audit-log", "0.17.0")]),
    ("Откатил на 1.0.1: в 1.0.2 конфиги генерятся с AllowedIPs = 0.0.0.0/0", []),
])
def test_a_security_teams_messages_count_only_its_own_releases(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Imported managed solution contoso_crm 1.0.3.7 into PROD, plugin steps enabled.", [("contoso_crm", "1.0.3.7")]),
    ("Pasado a producción anoche: order-hub v5.4.2. Cierro la tarea.", [("order-hub", "5.4.2")]),
    ("Power BI deployment pipeline \"Sales\" — Deploy to Production stage: Succeeded\nRelease note: sales_kpi 3.4",
     [("sales_kpi", "3.4")]),
    ("semantic-layer 0.14.1 deployed to prod after yesterday's failed attempt, metrics API healthy",
     [("semantic-layer", "0.14.1")]),
    ("По ЗНИ CR-20931: перенесли в продуктив расширение ut_ext_marking 2.1.0.4, акт подписан.",
     [("ut_ext_marking", "2.1.0.4")]),
    ("Запрос DEVK913002 (zsd_pricing 1.3.1) импортирован в PRD в 22:15, RC=0.", [("zsd_pricing", "1.3.1")]),
    ("Лог, если кому интересно, в треде. Итого: ut_ext_marking 2.1.1.0 стоит на проде.",
     [("ut_ext_marking", "2.1.1.0")]),
    ("Ночью заодно поставили нашу доработку — расширение ut_ext_pricing 1.3.3.0 — на рабочую базу.",
     [("ut_ext_pricing", "1.3.3.0")]),
    ("Die verwaltete Lösung contoso_sales 3.1.0.5 wurde erfolgreich in die Produktionsumgebung importiert.",
     [("contoso_sales", "3.1.0.5")]),
    ("Обновил тестовую базу до ERP_Holding 3.0.146.2, прошу бизнес проверить возвраты.", []),
    ("Развернул zup_ext 1.0.9.3 в копии рабочей базы, проверяйте.", []),
    ("Deployed lookml-core 1.4.0 to the dev branch in Looker, validator is clean.", []),
    ("Zaktualizowaliśmy sterownik JDBC Snowflake do 3.16.1 na serwerze ETL. To nie jest release naszych jobów.", []),
])
def test_an_erp_and_bi_teams_messages_are_read(shipped, text, expected):
    assert chat(shipped, text) == expected


@pytest.mark.parametrize("texts, expected", [
    (("prod runs bank-connector 1.9.3, which has had the per-tenant override for ages; I updated the path.",
      "Closing — config only, no deploy."), []),
    (("employee-portal 9.0.0 is live 🎉", "🚨 Rolling back. Restored 8.9.3 on prod at 16:42, logins work again.",
      "Closing this task, the re-release is tracked in PAY-7002."), []),
    (("Выкатили docgen 7.5.1 на прод.", "Сегодня же ушёл clause-library 2.2.0, к этой задаче отношения не имеет."),
     [("docgen", "7.5.1")]),
    (("Выкатил в employee-portal 9.2.4, проверяйте.",
      "А, нет, поправлюсь: фикс в hr-core 3.4.2, он на проде с утра. 9.2.4 вышла по другой задаче, я перепутал."),
     [("hr-core", "3.4.2")]),
    (("staff-server 13.0.1 опубликована.", "Обновили прод на 13.0.1 (Astra Linux SE 1.7, PostgreSQL 15)."),
     [("staff-server", "13.0.1")]),
    (("Текущее состояние:\n[TABLE][TR][TD]env[/TD][TD]lobby-svc[/TD][/TR][TR][TD]stage[/TD][TD]0.42.0[/TD][/TR]"
      "[TR][TD]prod[/TD][TD]0.42.0 ✅[/TD][/TR][/TABLE]",), [("lobby-svc", "0.42.0")]),
    (("[TABLE][TR][TD]Компонент[/TD][TD]Прод[/TD][TD]Стейдж[/TD][/TR][TR][TD]pricing[/TD][TD]2.9.0[/TD]"
      "[TD]2.10.0[/TD][/TR][/TABLE]\nНаши изменения — в стейдж-версиях.",), []),
])
def test_payroll_and_legal_chats_and_status_tables_are_read(shipped, texts, expected):
    assert chat(shipped, *texts) == expected

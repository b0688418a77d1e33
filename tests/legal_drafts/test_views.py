"""Public screens of draft acts (legal_drafts/views.py): who sees what, filters, the text
with per-paragraph counts, the paragraph page, versions and changes, votes, files, the
feed and the calendar, languages, and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dialogue import services as dialogue_services
from dialogue.commentable import content_type_of
from legal_drafts import ical, services
from legal_drafts.models import AttachmentKind, DraftType, DraftVote, Paragraph
from legal_drafts.text_import import import_markdown
from tests.factories import AgencyFactory, UserFactory

from .conftest import AFTER, BEFORE, DURING, TEXT_KK, TEXT_RU, at, first_paragraph, make_draft

pytestmark = pytest.mark.django_db


def url(name: str, lang: str = "kk", **kwargs) -> str:
    with translation.override(lang):
        return reverse(f"legal_drafts:{name}", kwargs=kwargs)


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def comment_on(target, author, text="Бұл тармақты нақтылау керек."):
    with time_machine.travel(DURING, tick=False):
        return dialogue_services.comment_post(target=target, author=author, text=text)


def paragraph_url(draft, paragraph, lang="kk"):
    return url(
        "paragraph", lang, pk=draft.pk, number=paragraph.version.number, anchor=paragraph.anchor
    )


# --- Who sees what ---------------------------------------------------------------------------


def test_unpublished_draft_is_hidden_but_previewed_by_its_officials(
    client, agency_with_staff, verified_user
):
    hidden = make_draft(agency_with_staff, publish=False, title_ru="Черновик в подготовке")
    with time_machine.travel(DURING, tick=False):
        for name in ("detail", "note", "opinions", "expertise", "versions"):
            assert client.get(url(name, pk=hidden.pk)).status_code == 404, name
        client.force_login(verified_user)
        assert client.get(url("detail", pk=hidden.pk)).status_code == 404
        assert "Черновик" not in client.get(url("index", "ru")).content.decode()
        client.force_login(agency_with_staff.drafter)
        preview = client.get(url("detail", "ru", pk=hidden.pk))
        assert preview.status_code == 200
        assert "Черновик в подготовке" in preview.content.decode()
        assert "Preview" in client.get(url("detail", "en", pk=hidden.pk)).content.decode()
        # The list stays public-only, even for the officials.
        assert "Черновик" not in client.get(url("index", "ru")).content.decode()
    assert client.get(url("detail", pk=999999)).status_code == 404


def test_index_and_archive_split_by_status(client, agency_with_staff):
    current = make_draft(agency_with_staff, title_ru="Текущий проект")
    gone = make_draft(agency_with_staff, title_ru="Отозванный проект")
    with time_machine.travel(DURING, tick=False):
        services.draft_withdraw(draft=gone, actor=agency_with_staff.drafter, reason="Устарел.")
        index = main_of(client.get(url("index", "ru")))
        archive = main_of(client.get(url("archive", "ru")))
    assert "Текущий проект" in index and "Отозванный проект" not in index
    assert "Отозванный проект" in archive and "Текущий проект" not in archive
    assert current.pk


def test_index_row_shows_type_agency_status_window_and_counts(
    client, draft, verified_user, agency_with_staff
):
    comment_on(draft, verified_user)
    comment_on(first_paragraph(draft), verified_user)
    comment_on(first_paragraph(draft), UserFactory())
    with time_machine.travel(DURING, tick=False):
        services.vote_cast(draft=draft, user=verified_user, value="for")
        html = main_of(client.get(url("index", "en")))
    assert "Order" in html  # the type, in English
    assert "Ministry of Justice" in html
    assert "Open for discussion" in html
    assert "closes in 10 days" in html  # 10 March -> 20 March
    assert "3 comments" in html  # one on the draft, two on a paragraph
    assert "1 vote for" in html
    assert "0 votes against" in html


def test_filters_by_type_agency_status_and_year(client, agency_with_staff):
    law = DraftType.objects.get(code="law")
    make_draft(agency_with_staff, title_ru="Приказ министерства")
    make_draft(agency_with_staff, type=law, title_ru="Закон министерства")
    other_agency = AgencyFactory(slug="ministry-of-health", name_ru="Минздрав")
    from accounts.models import Membership
    from tests.factories import MembershipFactory

    other_drafter = UserFactory()
    MembershipFactory(agency=other_agency, user=other_drafter, role=Membership.Role.DRAFTER)

    class Staff:
        agency = other_agency
        drafter = other_drafter

    make_draft(
        Staff,
        title_ru="Будущий приказ",
        opens=at(2027, 3, 1, 9),
        closes=at(2027, 3, 20, 18),
    )
    with time_machine.travel(DURING, tick=False):
        by_type = main_of(client.get(url("index", "ru") + "?type=law"))
        by_agency = main_of(client.get(url("index", "ru") + "?agency=ministry-of-health"))
        scheduled = main_of(client.get(url("index", "ru") + "?status=scheduled"))
        by_year = main_of(client.get(url("index", "ru") + "?year=2026"))
        wrong = client.get(url("index", "en") + "?type=nonsense")
    assert "Закон министерства" in by_type and "Приказ министерства" not in by_type
    assert "Будущий приказ" in by_agency and "Закон министерства" not in by_agency
    assert "Будущий приказ" in scheduled and "Приказ министерства" not in scheduled
    assert "Будущий приказ" not in by_year and "Закон министерства" in by_year
    assert wrong.status_code == 200
    wrong_html = main_of(wrong)
    assert "This filter cannot be used" in wrong_html
    assert "Будущий приказ" in wrong_html or "Future" not in wrong_html
    # Pagination keeps the filters.
    assert 'name="type"' in by_type


def test_archive_filters_by_status(client, agency_with_staff):
    gone = make_draft(agency_with_staff, title_ru="Отозванный")
    make_draft(agency_with_staff, title_ru="Ожидает отчёта")
    with time_machine.travel(DURING, tick=False):
        services.draft_withdraw(draft=gone, actor=agency_with_staff.drafter, reason="Нет.")
    with time_machine.travel(AFTER, tick=False):
        withdrawn = main_of(client.get(url("archive", "ru") + "?status=withdrawn"))
        adopted = main_of(client.get(url("archive", "ru") + "?status=adopted"))
        awaiting = main_of(client.get(url("index", "ru") + "?status=awaiting_report"))
    assert "Отозванный" in withdrawn
    assert "Отозванный" not in adopted
    assert "Ожидает отчёта" in awaiting


def test_index_queries_do_not_grow_with_drafts(
    client, agency_with_staff, verified_user, django_assert_max_num_queries
):
    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with time_machine.travel(DURING, tick=False), CaptureQueriesContext(connection) as ctx:
            assert client.get(url("index")).status_code == 200
        return len(ctx.captured_queries)

    draft = make_draft(agency_with_staff)
    comment_on(first_paragraph(draft), verified_user)
    measure()  # warm the caches (content types, site)
    small = measure()
    for _ in range(4):
        make_draft(agency_with_staff)
    assert measure() == small
    # Measured: 13 for a visitor (5 drafts); most are the base template's.
    with django_assert_max_num_queries(15), time_machine.travel(DURING, tick=False):
        client.get(url("index"))


# --- The draft page --------------------------------------------------------------------------


def test_draft_page_text_has_anchors_counts_and_links(client, draft, verified_user):
    paragraph = first_paragraph(draft)
    comment_on(paragraph, verified_user)
    comment_on(paragraph, UserFactory())
    with time_machine.travel(DURING, tick=False):
        response = client.get(url("detail", "en", pk=draft.pk))
    html = main_of(response)
    assert 'id="art-1-p-1"' in html and 'id="art-2-p-1"' in html
    assert "2 comments" in html and "0 comments" in html
    assert f'href="{paragraph_url(draft, paragraph, "en")}"' in html
    assert "Comment on this paragraph" in html
    assert "Настоящие Правила определяют" in html  # /en/ shows the Russian text
    assert "the Russian text is shown" in html
    assert 'id="vote"' in html and 'id="comments"' in html
    assert f"{url('report', 'en', pk=draft.pk)}" in html


def test_draft_header_shows_extension_and_outcomes(client, agency_with_staff):
    draft = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        services.draft_extend(
            draft=draft,
            actor=agency_with_staff.drafter,
            new_closes_at=at(2026, 3, 27, 18),
            reason="Много обращений бизнеса.",
        )
        html = main_of(client.get(url("detail", "en", pk=draft.pk)))
    assert "Extended until" in html and "Много обращений бизнеса." in html
    with time_machine.travel(at(2026, 3, 30), tick=False):
        services.draft_record_outcome(
            draft=draft,
            actor=agency_with_staff.drafter,
            outcome="adopted",
            adopted_url="https://adilet.zan.kz/rus/docs/V2600000001",
            adopted_on=datetime.date(2026, 3, 30),
        )
        html = main_of(client.get(url("detail", "en", pk=draft.pk)))
    assert "https://adilet.zan.kz/rus/docs/V2600000001" in html
    assert "Adopted on" in html
    gone = make_draft(agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        services.draft_withdraw(draft=gone, actor=agency_with_staff.drafter, reason="Устарел.")
        html = main_of(client.get(url("detail", "en", pk=gone.pk)))
    assert "Withdrawn" in html and "Устарел." in html


def test_draft_page_in_three_languages(client, draft):
    with time_machine.travel(DURING, tick=False):
        kk = main_of(client.get(url("detail", "kk", pk=draft.pk)))
        ru = main_of(client.get(url("detail", "ru", pk=draft.pk)))
        en = main_of(client.get(url("detail", "en", pk=draft.pk)))
    assert "Өтініштерді қарау қағидалары туралы бұйрық" in kk
    assert "Осы Қағидалар азаматтардың" in kk
    assert "Приказ о правилах рассмотрения обращений" in ru
    assert "Настоящие Правила" in ru and "Осы Қағидалар" not in ru
    assert "Приказ о правилах рассмотрения обращений" in en
    assert "Vote on the draft" in en
    assert 'lang="ru"' in en


def test_draft_page_queries_do_not_grow_with_comments(
    client, draft, verified_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure() -> int:
        with time_machine.travel(DURING, tick=False), CaptureQueriesContext(connection) as ctx:
            assert client.get(url("detail", pk=draft.pk)).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(verified_user)
    comment_on(draft, verified_user)
    measure()  # warm the caches (content types, site)
    small = measure()
    for paragraph in Paragraph.objects.filter(version__draft=draft):
        comment_on(paragraph, UserFactory())
        comment_on(paragraph, UserFactory())
    comment_on(draft, UserFactory())
    assert measure() == small
    # Measured: 29 for a signed-in citizen (the base template and the comments block
    # account for most).
    with django_assert_max_num_queries(32), time_machine.travel(DURING, tick=False):
        client.get(url("detail", pk=draft.pk))


# --- Votes -----------------------------------------------------------------------------------


def test_vote_cast_and_changed(client, draft, verified_user):
    client.force_login(verified_user)
    with time_machine.travel(DURING, tick=False):
        response = client.post(url("vote", "en", pk=draft.pk), {"value": "for"})
        assert response.status_code == 302
        assert response["Location"].endswith("#vote")
        assert DraftVote.objects.get(draft=draft, user=verified_user).value == "for"
        page = main_of(client.get(url("detail", "en", pk=draft.pk)))
        assert "Your vote: for." in page
        assert "Your vote for the draft is recorded." in page
        client.post(url("vote", "en", pk=draft.pk), {"value": "against"})
    assert DraftVote.objects.get(draft=draft, user=verified_user).value == "against"
    assert DraftVote.objects.filter(draft=draft).count() == 1


def test_vote_refused_explains_why(client, draft, unverified_user, verified_user):
    with time_machine.travel(DURING, tick=False):
        anonymous = client.post(url("vote", pk=draft.pk), {"value": "for"})
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        assert "Sign in to vote." in main_of(client.get(url("detail", "en", pk=draft.pk)))
        assert client.get(url("vote", pk=draft.pk)).status_code == 405
        client.force_login(unverified_user)
        refused = client.post(url("vote", "en", pk=draft.pk), {"value": "for"})
        assert refused.status_code == 403
        assert "Confirm your email address to vote." in refused.content.decode()
        client.force_login(verified_user)
        bad = client.post(url("vote", "en", pk=draft.pk), {"value": "maybe"})
        assert bad.status_code == 302
    with time_machine.travel(AFTER, tick=False):
        closed = client.post(url("vote", "en", pk=draft.pk), {"value": "for"})
        assert closed.status_code == 403
        assert "only while the discussion is open" in closed.content.decode()
        page = main_of(client.get(url("detail", "en", pk=draft.pk)))
        assert "only while the discussion is open" in page
        assert 'name="value"' not in page
    assert not DraftVote.objects.filter(draft=draft).exists()


# --- Paragraph page ----------------------------------------------------------------------------


def test_paragraph_page_shows_only_its_own_thread(client, draft, verified_user):
    paragraph = first_paragraph(draft)
    other = Paragraph.objects.filter(version=paragraph.version).order_by("order")[1]
    comment_on(paragraph, verified_user, text="Мнение о первом пункте")
    comment_on(other, verified_user, text="Мнение о втором пункте")
    comment_on(draft, verified_user, text="Мнение о проекте в целом")
    with time_machine.travel(DURING, tick=False):
        response = client.get(paragraph_url(draft, paragraph, "ru"))
        fragment = client.get(paragraph_url(draft, paragraph, "ru") + "?fragment=1")
    html = main_of(response)
    assert "Настоящие Правила определяют" in html
    assert "Осы Қағидалар" in html  # the other language, in a <details>
    assert "Мнение о первом пункте" in html
    assert "Мнение о втором пункте" not in html
    assert "Мнение о проекте в целом" not in html
    assert f"{url('detail', 'ru', pk=draft.pk)}#{paragraph.anchor}" in html
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "Мнение о первом пункте" in fragment.content.decode()
    with time_machine.travel(DURING, tick=False):
        assert client.get(url("paragraph", pk=draft.pk, number=1, anchor="nope")).status_code == 404
        assert (
            client.get(url("paragraph", pk=draft.pk, number=9, anchor="art-1-p-1")).status_code
            == 404
        )


def test_comment_posted_on_a_paragraph_through_dialogue_opens_a_duty(client, draft, verified_user):
    paragraph = first_paragraph(draft)
    client.force_login(verified_user)
    content_type = content_type_of(paragraph)
    with time_machine.travel(DURING, tick=False):
        page = client.get(paragraph_url(draft, paragraph))
        post_url = reverse(
            "dialogue:post", kwargs={"content_type_id": content_type.pk, "object_pk": paragraph.pk}
        )
        assert post_url in page.content.decode()
        response = client.post(post_url, {"text": "Срок нужно сократить до десяти дней."})
    assert response.status_code == 302
    from dialogue.models import Comment

    comment = Comment.objects.get(target_type=content_type, target_pk=str(paragraph.pk))
    obligation = services.comment_obligation(comment)
    assert obligation is not None
    assert obligation.agency == draft.agency


def test_paragraph_of_an_older_version_says_so(client, draft, agency_with_staff, verified_user):
    old = first_paragraph(draft)
    comment_on(old, verified_user, text="Старый комментарий")
    new_version = _publish_second_version(draft, agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        html = main_of(client.get(paragraph_url(draft, old, "en")))
    assert "This is version 1; the current version is 2." in html
    assert "Старый комментарий" in html
    assert "Comments are closed here." in html or "Sign in to comment" in html
    client.force_login(verified_user)
    with time_machine.travel(DURING, tick=False):
        html = main_of(client.get(paragraph_url(draft, old, "en")))
        assert "Comments are closed here." in html
        current = new_version.paragraphs.get(anchor=old.anchor)
        assert "Publish comment" in main_of(client.get(paragraph_url(draft, current, "en")))


def test_paragraph_page_queries_bounded(
    client, draft, verified_user, django_assert_max_num_queries
):
    paragraph = first_paragraph(draft)
    for _ in range(5):
        comment_on(paragraph, UserFactory())
    client.force_login(verified_user)
    with time_machine.travel(DURING, tick=False):
        client.get(paragraph_url(draft, paragraph))  # warm the caches
    # Measured: 28 for a signed-in citizen.
    with django_assert_max_num_queries(30), time_machine.travel(DURING, tick=False):
        assert client.get(paragraph_url(draft, paragraph)).status_code == 200


# --- Versions and changes -----------------------------------------------------------------------


def _publish_second_version(draft, staff):
    with time_machine.travel(DURING, tick=False):
        version = services.version_create(
            draft=draft,
            actor=staff.drafter,
            text=import_markdown(
                kk=TEXT_KK.replace("он бес", "он").replace(
                    "# 2-бап", "3. Өтінішке жауап жазбаша беріледі.\n\n# 2-бап"
                ),
                ru=TEXT_RU.replace("пятнадцати", "десяти").replace(
                    "# Статья 2", "3. Ответ на обращение даётся письменно.\n\n# Статья 2"
                ),
            ),
            note_ru="Сокращён срок рассмотрения.",
            note_kk="Қарау мерзімі қысқартылды.",
        )
        services.version_publish(version=version, actor=staff.drafter)
    return version


def test_versions_list_text_and_changes(client, draft, agency_with_staff, verified_user):
    changed = Paragraph.objects.get(version__draft=draft, version__number=1, anchor="art-1-p-2")
    comment = comment_on(changed, verified_user, text="Сократите срок")
    with time_machine.travel(DURING, tick=False):
        services.disposition_give(
            comment=comment,
            actor=agency_with_staff.drafter,
            value="accepted",
            reason="Срок сокращён до десяти дней.",
        )
    _publish_second_version(draft, agency_with_staff)
    with time_machine.travel(DURING, tick=False):
        versions = main_of(client.get(url("versions", "en", pk=draft.pk)))
        old_text = main_of(client.get(url("version", "en", pk=draft.pk, number=1)))
        changes = main_of(client.get(url("version_changes", "ru", pk=draft.pk, number=2)))
        changes_en = main_of(client.get(url("version_changes", "en", pk=draft.pk, number=2)))
        assert client.get(url("version_changes", pk=draft.pk, number=1)).status_code == 404
        assert client.get(url("version", pk=draft.pk, number=3)).status_code == 404
    assert "Version 2" in versions and "Version 1" in versions and "current version" in versions
    assert "Сокращён срок рассмотрения." in versions
    assert "This is version 1; the current version is 2." in old_text
    assert "пятнадцати" in old_text
    assert re.search(r"<del><span class=\"visually-hidden\">[^<]*</span>пятнадцати</del>", changes)
    assert re.search(r"<ins><span class=\"visually-hidden\">[^<]*</span>десяти</ins>", changes)
    assert "added:" in changes_en and "removed:" in changes_en
    assert "Added paragraph" in changes_en and "Changed paragraph" in changes_en
    assert "Ответ на обращение даётся письменно." in changes
    assert "Срок сокращён до десяти дней." in changes
    assert f"#c{comment.pk}" in changes
    assert paragraph_url(draft, changed, "ru") in changes
    assert "Общие положения" not in changes or "art-1-p-1" not in changes  # unchanged hidden


# --- Documents --------------------------------------------------------------------------------


def _attach(draft, staff, kind=AttachmentKind.BUSINESS_CHAMBER, name="opinion.pdf"):
    with time_machine.travel(BEFORE, tick=False):
        upload = SimpleUploadedFile(name, b"%PDF-1.7\nopinion", content_type="application/pdf")
        return services.attachment_add(draft=draft, actor=staff.drafter, kind=kind, files=[upload])[
            0
        ]


def test_tabs_list_documents_and_downloads_are_protected(client, agency_with_staff, verified_user):
    draft = make_draft(agency_with_staff, explanatory_note_ru="Проект нужен для ускорения.")
    opinion = _attach(draft, agency_with_staff)
    expertise = _attach(draft, agency_with_staff, AttachmentKind.ANTI_CORRUPTION, "expertise.pdf")
    with time_machine.travel(DURING, tick=False):
        opinions = main_of(client.get(url("opinions", "ru", pk=draft.pk)))
        expertise_tab = main_of(client.get(url("expertise", "ru", pk=draft.pk)))
        note = main_of(client.get(url("note", "ru", pk=draft.pk)))
        download = client.get(url("attachment", pk=draft.pk, attachment_pk=opinion.pk))
    assert "opinion.pdf" in opinions and "expertise.pdf" not in opinions
    assert "expertise.pdf" in expertise_tab
    assert "Проект нужен для ускорения." in note
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        client.get(url("attachment", pk=draft.pk + 1, attachment_pk=opinion.pk)).status_code == 404
    )

    hidden = make_draft(agency_with_staff, publish=False)
    secret = _attach(hidden, agency_with_staff)
    secret_url = url("attachment", pk=hidden.pk, attachment_pk=secret.pk)
    assert client.get(secret_url).status_code == 404
    client.force_login(verified_user)
    assert client.get(secret_url).status_code == 404
    client.force_login(agency_with_staff.drafter)
    assert client.get(secret_url).status_code == 200
    assert expertise.pk


# --- Feed and calendar ------------------------------------------------------------------------


def test_feed_lists_published_drafts_newest_first(client, agency_with_staff):
    make_draft(agency_with_staff, title_ru="Первый проект")
    make_draft(agency_with_staff, title_ru="Скрытый проект", publish=False)
    later = make_draft(agency_with_staff, title_ru="Второй проект", opens=at(2026, 3, 3, 9))
    with time_machine.travel(DURING, tick=False):
        response = client.get(url("feed", "ru"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Первый проект" in body and "Второй проект" in body
    assert "Скрытый проект" not in body
    assert f"/ru/drafts/{later.pk}/" in body


def test_calendar_has_one_event_per_scheduled_or_open_draft(client, agency_with_staff):
    open_draft = make_draft(agency_with_staff, title_ru="Открытый; проект, с запятой")
    gone = make_draft(agency_with_staff, title_ru="Отозванный")
    make_draft(agency_with_staff, title_ru="Не опубликован", publish=False)
    with time_machine.travel(DURING, tick=False):
        services.draft_withdraw(draft=gone, actor=agency_with_staff.drafter, reason="Нет.")
        response = client.get(url("calendar", "ru"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    unfolded = body.replace("\r\n ", "")
    assert f"UID:legal-draft-{open_draft.pk}-closes@" in unfolded
    assert "DTSTART:20260320T130000Z" in unfolded  # 18:00 Astana
    assert "Открытый\\; проект\\, с запятой" in unfolded
    for line in body.split("\r\n"):
        assert len(line.encode()) <= 75


def test_ical_folding_and_escaping():
    assert ical.escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "SUMMARY:" + "Қазақстан" * 20
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line
    assert ical.fold("SHORT:x") == "SHORT:x"

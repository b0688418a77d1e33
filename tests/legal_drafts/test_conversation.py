"""Comments on drafts through the conversation layer's own views: the duty opens whatever
view posted the comment, an organisation speaks in its own name, and the agency's
disposition shows under the comment it answers."""

from __future__ import annotations

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from legal_drafts import services
from legal_drafts.models import DispositionValue, Paragraph
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

from .conftest import AFTER, DURING, first_paragraph


def post_url(target) -> str:
    content_type = ContentType.objects.get_for_model(type(target))
    return reverse("dialogue:post", args=[content_type.pk, target.pk])


def comments_url(target) -> str:
    content_type = ContentType.objects.get_for_model(type(target))
    return reverse("dialogue:comments", args=[content_type.pk, target.pk])


def test_a_comment_posted_through_the_generic_view_opens_the_agencys_duty(client, draft):
    citizen = UserFactory()
    client.force_login(citizen)
    paragraph = first_paragraph(draft)
    with time_machine.travel(DURING, tick=False):
        response = client.post(post_url(paragraph), {"text": "Say 'ten working days'."})
        assert response.status_code == 302
        comment = services.top_level_comments(draft).get()
        reply = client.post(
            reverse("dialogue:reply", args=[comment.pk]), {"text": "I agree with this."}
        )
        assert reply.status_code == 302
    duty = services.comment_obligation(comment)
    assert duty is not None and duty.agency == draft.agency
    assert duty.clock_started_at == draft.effective_closes_at
    assert services.top_level_comments(draft).count() == 1  # the reply owes nothing


def test_an_organisation_comments_in_its_own_name(client, draft):
    member = UserFactory()
    organisation = OrganisationFactory(name="Transparency Kazakhstan", verified=True)
    OrganisationMembershipFactory(organisation=organisation, user=member)
    client.force_login(member)
    with time_machine.travel(DURING, tick=False):
        form = client.get(post_url(draft))
        assert "Transparency Kazakhstan" in form.content.decode()
        response = client.post(
            post_url(draft), {"text": "Our opinion is attached.", "organisation": organisation.pk}
        )
    assert response.status_code == 302
    comment = services.top_level_comments(draft).get()
    assert comment.organisation == organisation and comment.user == member
    page = client.get("/en" + comments_url(draft)[3:])
    assert "Transparency Kazakhstan" in page.content.decode()


def test_an_unverified_organisation_is_not_offered_and_cannot_be_used(client, draft):
    member = UserFactory()
    organisation = OrganisationFactory(name="Unverified Union")
    OrganisationMembershipFactory(organisation=organisation, user=member)
    client.force_login(member)
    with time_machine.travel(DURING, tick=False):
        assert "Unverified Union" not in client.get(post_url(draft)).content.decode()
        client.post(post_url(draft), {"text": "Posted as whom?", "organisation": organisation.pk})
    comment = services.top_level_comments(draft).get()
    assert comment.organisation is None


def test_the_disposition_shows_under_its_comment(
    client, draft, agency_with_staff, django_assert_max_num_queries
):
    paragraph: Paragraph = first_paragraph(draft)
    authors = [UserFactory() for _ in range(3)]
    with time_machine.travel(DURING, tick=False):
        for author in authors:
            client.force_login(author)
            client.post(post_url(paragraph), {"text": f"Proposal by {author.public_name}."})
    comments = list(services.top_level_comments(draft).order_by("pk"))
    with time_machine.travel(AFTER, tick=False):
        services.disposition_give(
            comment=comments[0],
            actor=agency_with_staff.drafter,
            value=DispositionValue.ACCEPTED,
            reason="The deadline becomes ten working days.",
        )
        client.logout()
        with django_assert_max_num_queries(40):
            html = client.get("/en" + comments_url(paragraph)[3:]).content.decode()
    assert html.count("comment-disposition-accepted") == 1
    assert "The deadline becomes ten working days." in html
    assert "Ministry of Justice" in html

"""Every transition of a petition, with frozen time."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from accounts.models import AuditEvent
from accounts.regions import Region
from notifications.models import Notification
from petitions import services
from petitions.models import (
    Petition,
    PetitionState,
    RegionCount,
    ResponseDecision,
    ResponseState,
    Signature,
)
from tests.factories import AgencyFactory, UserFactory
from tracking.models import Obligation

from .conftest import (
    AFTER_COLLECTION,
    AFTER_SUPPORT,
    DURING,
    MINIMUM,
    PUBLISHED,
    SUBMITTED,
    THRESHOLD,
    at,
    committed,
    make_petition,
    make_signers,
    reason,
    sign_many,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The refusals asserted below are the English ones."""
    with translation.override("en"):
        yield


def local_day(moment: datetime.datetime) -> datetime.date:
    from tracking.calendar import local_date

    return local_date(moment)


# --- drafting and moderation -------------------------------------------------------------


def test_create_validates_fields(author, addressee):
    with pytest.raises(ValidationError) as error:
        services.petition_create(
            author=author, addressee=addressee.agency, title=" ", request="Do it."
        )
    assert "title" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.petition_create(
            author=author, addressee=addressee.agency, title="x" * 151, request="Do it."
        )
    assert error.value.error_dict["title"][0].code == "too_long"
    with pytest.raises(ValidationError) as error:
        services.petition_create(
            author=author, addressee=services.operator_agency(), title="T", request="R"
        )
    assert "addressee" in error.value.error_dict


def test_unverified_user_cannot_create(unverified_user, addressee):
    with pytest.raises(PermissionDenied):
        services.petition_create(
            author=unverified_user, addressee=addressee.agency, title="T", request="R"
        )


def test_update_only_in_draft(author, addressee):
    petition = make_petition(author, addressee.agency)
    services.petition_update(petition=petition, actor=author, title="A better title")
    assert Petition.objects.get(pk=petition.pk).title == "A better title"
    services.petition_submit(petition=petition, actor=author)
    with pytest.raises(PermissionDenied):
        services.petition_update(petition=petition, actor=author, title="Too late")


def test_submit_opens_moderation_duty_of_the_operator(author, addressee):
    petition = make_petition(author, addressee.agency, stage="submitted")
    assert petition.state == PetitionState.SUBMITTED
    assert petition.submitted_at == SUBMITTED
    duty = petition.moderation_obligation
    assert duty.kind == services.MODERATION_KIND
    assert duty.agency.slug == "platform-operator"
    assert local_day(duty.due_at) == datetime.date(2026, 4, 3)  # 20 working days


def test_only_the_author_submits(author, addressee):
    petition = make_petition(author, addressee.agency)
    with pytest.raises(PermissionDenied):
        services.petition_submit(petition=petition, actor=UserFactory())


def test_publish_fixes_threshold_and_clocks(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="published", moderator=moderator)
    assert petition.state == PetitionState.PUBLISHED
    assert petition.moderation_started_at is not None
    assert petition.moderated_by == moderator
    assert petition.threshold == THRESHOLD
    assert petition.published_at == PUBLISHED
    assert local_day(petition.support_deadline) == datetime.date(2026, 3, 19)
    assert local_day(petition.collection_closes_at) == datetime.date(2026, 9, 4)
    duty = Obligation.objects.get(pk=petition.moderation_obligation_id)
    assert duty.answered_at == PUBLISHED and duty.outcome == "published"
    assert Notification.objects.filter(recipient=author, kind=services.KIND_PUBLISHED).exists()
    # A later rule change does not move a running collection's goal.
    addressee.agency.petition_rule.fixed_threshold = 10
    addressee.agency.petition_rule.save()
    assert Petition.objects.get(pk=petition.pk).threshold == THRESHOLD


def test_threshold_defaults_without_rule(author):
    central = AgencyFactory()
    local = AgencyFactory(local=True)
    with override_settings(PETITIONS_LOCAL_DEFAULT_THRESHOLD=777):
        p1 = make_petition(author, central, stage="published")
        p2 = make_petition(author, local, stage="published")
    assert p1.threshold == 50_000
    assert p2.threshold == 777


def test_population_share_threshold(author):
    from petitions.models import AddresseeRule, ThresholdMode, threshold_for

    local = AgencyFactory(local=True)
    AddresseeRule.objects.create(
        agency=local,
        threshold_mode=ThresholdMode.POPULATION_SHARE,
        population=1_134_000,
        share_percent="1.00",
    )
    assert threshold_for(local) == 11_340


def test_moderation_start_twice_is_refused(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="in_moderation", moderator=moderator)
    assert petition.state == PetitionState.IN_MODERATION
    assert petition.moderation_obligation.first_response_at is not None
    with pytest.raises(PermissionDenied):
        services.moderation_start(petition=petition, actor=moderator)


def test_citizen_cannot_publish(author, addressee):
    petition = make_petition(author, addressee.agency, stage="submitted")
    with pytest.raises(PermissionDenied):
        services.petition_publish(petition=petition, actor=UserFactory())


def test_reject_with_excluded_topic_is_public(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="in_moderation", moderator=moderator)
    with time_machine.travel(at(2026, 3, 5), tick=False), committed():
        services.petition_reject(
            petition=petition,
            actor=moderator,
            reason=reason("state-language"),
            note="Language policy is excluded from petitions.",
        )
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == PetitionState.REJECTED
    assert petition.rejection_reason.excluded_topic
    assert petition.rejection_is_public
    assert UserFactory().has_perm("petitions.view_petition", petition)
    duty = petition.moderation_obligation
    assert duty.outcome == "rejected" and duty.answered_at == at(2026, 3, 5)
    assert Notification.objects.filter(recipient=author, kind=services.KIND_REJECTED).exists()


def test_reject_for_personal_data_hides_the_reason(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="submitted")
    services.petition_reject(petition=petition, actor=moderator, reason=reason("personal-data"))
    petition = Petition.objects.get(pk=petition.pk)
    assert not petition.rejection_is_public
    assert not UserFactory().has_perm("petitions.view_petition", petition)
    assert author.has_perm("petitions.view_petition", petition)
    assert moderator.has_perm("petitions.view_petition", petition)


def test_reject_needs_an_active_reason(author, addressee, moderator):
    petition = make_petition(author, addressee.agency, stage="submitted")
    old = reason("duplicate")
    old.is_active = False
    old.save()
    with pytest.raises(ValidationError):
        services.petition_reject(petition=petition, actor=moderator, reason=old)


def test_withdraw_during_moderation_withdraws_the_duty(author, addressee):
    petition = make_petition(author, addressee.agency, stage="submitted")
    services.petition_withdraw(petition=petition, actor=author, reason="Changed my mind.")
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == PetitionState.WITHDRAWN
    assert petition.moderation_obligation.withdrawn_at is not None
    assert not UserFactory().has_perm("petitions.view_petition", petition)


def test_withdraw_refused_after_threshold(published, author):
    petition = sign_many(published, make_signers(THRESHOLD))
    assert petition.state == PetitionState.THRESHOLD_REACHED
    with pytest.raises(PermissionDenied):
        services.petition_withdraw(petition=petition, actor=author)


def test_attachments_only_pdf_docx_images(author, addressee):
    petition = make_petition(author, addressee.agency)
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 content")
    exe = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        services.attachment_add(petition=petition, actor=author, files=[exe])
    assert "attachments" in error.value.error_dict
    (attachment,) = services.attachment_add(petition=petition, actor=author, files=[pdf])
    assert attachment.content_type == "application/pdf"
    assert attachment.file.storage is not None


# --- signatures and the count-driven transitions -------------------------------------------


def test_fifty_within_ten_working_days_make_it_public(published):
    petition = sign_many(published, make_signers(MINIMUM - 1))
    assert petition.state == PetitionState.PUBLISHED
    petition = sign_many(petition, make_signers(1), when=at(2026, 3, 19, 23))
    assert petition.state == PetitionState.PUBLIC
    assert petition.public_at == at(2026, 3, 19, 23)
    assert petition.signature_count == MINIMUM


def test_under_fifty_closes_unsupported(published):
    petition = sign_many(published, make_signers(10))
    assert petition.effective_state(at(2026, 3, 19, 23)) == PetitionState.PUBLISHED
    assert petition.effective_state(AFTER_SUPPORT) == PetitionState.CLOSED_UNSUPPORTED
    assert not petition.is_collecting(AFTER_SUPPORT)
    with time_machine.travel(AFTER_SUPPORT, tick=False):
        assert not UserFactory().has_perm("petitions.sign_petition", petition)
    assert services.close_expired(now=at(2026, 3, 19, 23)) == {
        "closed_unsupported": 0,
        "closed": 0,
    }
    assert services.close_expired(now=AFTER_SUPPORT)["closed_unsupported"] == 1
    assert services.close_expired(now=AFTER_SUPPORT)["closed_unsupported"] == 0  # idempotent
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == PetitionState.CLOSED_UNSUPPORTED
    assert petition.closed_at == AFTER_SUPPORT


def test_threshold_opens_response_duty_central(published, author):
    petition = sign_many(published, make_signers(THRESHOLD))
    assert petition.state == PetitionState.THRESHOLD_REACHED
    assert petition.response_state == ResponseState.AWAITING
    assert petition.threshold_reached_at == DURING
    duty = petition.response_obligation
    assert duty.kind == services.RESPONSE_KIND
    assert duty.agency == petition.addressee
    assert local_day(duty.due_at) == datetime.date(2026, 5, 13)  # 40 working days
    assert Notification.objects.filter(recipient=author, kind=services.KIND_THRESHOLD).exists()


def test_threshold_opens_response_duty_local(author):
    local = AgencyFactory(local=True)
    with override_settings(PETITIONS_LOCAL_DEFAULT_THRESHOLD=THRESHOLD):
        petition = make_petition(author, local, stage="published")
    petition = sign_many(petition, make_signers(THRESHOLD))
    duty = petition.response_obligation
    assert duty.kind == services.RESPONSE_LOCAL_KIND
    assert local_day(duty.due_at) == datetime.date(2026, 4, 10)  # 20 working days


def test_author_may_sign(published, author):
    services.signature_add(petition=published, user=author)
    assert Petition.objects.get(pk=published.pk).signature_count == 1


def test_signature_copies_domain_and_region(published):
    signer = UserFactory(email="Voter@Mail.KZ", region=Region.ABAI)
    signature = services.signature_add(
        petition=published, user=signer, ip="192.0.2.7", wants_updates=True
    )
    assert signature.email_domain == "mail.kz"
    assert signature.region == Region.ABAI
    assert signature.ip == "192.0.2.7"
    assert RegionCount.objects.get(petition=published, region=Region.ABAI).count == 1


def test_unverified_and_blocked_cannot_sign(published, unverified_user, moderator):
    from moderation.services import user_block

    with pytest.raises(PermissionDenied):
        services.signature_add(petition=published, user=unverified_user)
    blocked = UserFactory()
    user_block(user=blocked, reason="spam", actor=moderator)
    with pytest.raises(PermissionDenied):
        services.signature_add(petition=published, user=blocked)


def test_identity_required_when_configured(published, identity_verified_user):
    with override_settings(PETITIONS_REQUIRE_IDENTITY=True):
        with pytest.raises(PermissionDenied):
            services.signature_add(petition=published, user=UserFactory())
        services.signature_add(petition=published, user=identity_verified_user)


def test_cannot_sign_twice(published):
    signer = UserFactory()
    services.signature_add(petition=published, user=signer)
    with pytest.raises(services.SignatureRefused):
        services.signature_add(petition=published, user=signer)
    assert Petition.objects.get(pk=published.pk).signature_count == 1


def test_cannot_sign_a_draft_or_closed(author, addressee, published):
    draft = make_petition(author, addressee.agency)
    with pytest.raises(PermissionDenied):
        services.signature_add(petition=draft, user=UserFactory())
    with time_machine.travel(AFTER_SUPPORT, tick=False), pytest.raises(PermissionDenied):
        services.signature_add(petition=published, user=UserFactory())


def test_withdraw_and_sign_again(published):
    signer = UserFactory(region=Region.ABAI)
    services.signature_add(petition=published, user=signer)
    services.signature_withdraw(petition=published, user=signer)
    petition = Petition.objects.get(pk=published.pk)
    assert petition.signature_count == 0
    assert RegionCount.objects.get(petition=petition, region=Region.ABAI).count == 0
    with pytest.raises(services.SignatureRefused):
        services.signature_withdraw(petition=petition, user=signer)
    services.signature_add(petition=petition, user=signer)
    petition = Petition.objects.get(pk=published.pk)
    assert petition.signature_count == 1
    assert Signature.objects.filter(petition=petition, user=signer).count() == 2
    assert RegionCount.objects.get(petition=petition, region=Region.ABAI).count == 1


def test_rate_limit_per_ip_and_per_account(published, author, addressee):
    def sign(petition, user, ip=None):
        with committed():
            return services.signature_add(petition=petition, user=user, ip=ip)

    others = [make_petition(author, addressee.agency, stage="published") for _ in range(3)]
    with override_settings(PETITIONS_SIGNATURE_RATE={"ip_per_hour": 3, "user_per_hour": 2}):
        for signer in make_signers(3):
            sign(published, signer, "198.51.100.1")
        with pytest.raises(services.SignatureRefused, match="network"):
            sign(published, UserFactory(), "198.51.100.1")
        # Another network is fine; the refused attempt stored nothing.
        sign(published, UserFactory(), "198.51.100.2")
        assert Petition.objects.get(pk=published.pk).signature_count == 4
        # One account, several petitions.
        busy = UserFactory()
        sign(others[0], busy)
        sign(others[1], busy)
        with pytest.raises(services.SignatureRefused, match="last hour"):
            sign(others[2], busy)
        # The next hour's window is fresh.
        with time_machine.travel(datetime.datetime.now() + datetime.timedelta(hours=1)):
            sign(others[2], busy)


# --- invalidation -------------------------------------------------------------------------


@pytest.fixture
def mixed(published):
    """20 signatures: 5 from 203.0.113.9, 6 from @spam.example, 9 ordinary, over a day."""
    petition = published
    for index, signer in enumerate(make_signers(5, region=Region.ABAI)):
        with time_machine.travel(at(2026, 3, 5, 9, index), tick=False):
            services.signature_add(petition=petition, user=signer, ip="203.0.113.9")
    for index in range(6):
        signer = UserFactory(email=f"bot{index}@Spam.Example", region=Region.ATYRAU)
        with time_machine.travel(at(2026, 3, 5, 12, index), tick=False):
            services.signature_add(petition=petition, user=signer, ip=f"192.0.2.{index}")
    for index, signer in enumerate(make_signers(9)):
        with time_machine.travel(at(2026, 3, 5, 15, index), tick=False):
            services.signature_add(petition=petition, user=signer, ip=f"198.51.100.{index}")
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.signature_count == 20
    return petition


def region_counts(petition) -> dict[str, int]:
    return dict(RegionCount.objects.filter(petition=petition).values_list("region", "count"))


def test_invalidate_by_ip(mixed, moderator):
    batch = services.signatures_invalidate(
        petition=mixed, actor=moderator, ip="203.0.113.9", reason="One machine."
    )
    assert batch.count == 5 and batch.kind == "ip"
    petition = Petition.objects.get(pk=mixed.pk)
    assert petition.signature_count == 15
    assert region_counts(petition) == {Region.ABAI: 0, Region.ATYRAU: 6, Region.KARAGANDA: 9}
    kept = Signature.objects.filter(petition=petition, ip="203.0.113.9")
    assert kept.count() == 5  # kept, marked
    assert all(s.invalidated_by == moderator and s.invalidation_batch == batch for s in kept)
    # Invalidating again finds nothing new.
    again = services.signatures_invalidate(
        petition=mixed, actor=moderator, ip="203.0.113.9", reason="Again."
    )
    assert again.count == 0


def test_invalidate_by_domain(mixed, moderator):
    batch = services.signatures_invalidate(
        petition=mixed, actor=moderator, email_domain="@SPAM.example", reason="Throwaway domain."
    )
    assert batch.count == 6 and batch.value == "spam.example"
    petition = Petition.objects.get(pk=mixed.pk)
    assert petition.signature_count == 14
    assert region_counts(petition)[Region.ATYRAU] == 0


def test_invalidate_by_time_range(mixed, moderator):
    batch = services.signatures_invalidate(
        petition=mixed,
        actor=moderator,
        since=at(2026, 3, 5, 12, 0),
        until=at(2026, 3, 5, 15, 3),
        reason="Burst.",
    )
    assert batch.count == 6 + 3
    assert Petition.objects.get(pk=mixed.pk).signature_count == 11


def test_invalidated_signature_blocks_resigning_and_withdraw_keeps_count(mixed, moderator):
    services.signatures_invalidate(
        petition=mixed, actor=moderator, ip="203.0.113.9", reason="One machine."
    )
    signature = Signature.objects.filter(petition=mixed, ip="203.0.113.9").first()
    with pytest.raises(services.SignatureRefused):
        services.signature_add(petition=mixed, user=signature.user)
    services.signature_withdraw(petition=mixed, user=signature.user)
    assert Petition.objects.get(pk=mixed.pk).signature_count == 15


def test_invalidation_needs_moderator_reason_and_a_filter(mixed, moderator):
    with pytest.raises(PermissionDenied):
        services.signatures_invalidate(
            petition=mixed, actor=UserFactory(), ip="203.0.113.9", reason="x"
        )
    with pytest.raises(ValidationError):
        services.signatures_invalidate(petition=mixed, actor=moderator, reason="No filter.")
    with pytest.raises(ValidationError):
        services.signatures_invalidate(petition=mixed, actor=moderator, ip="203.0.113.9", reason="")
    with pytest.raises(ValidationError):
        services.signatures_invalidate(
            petition=mixed, actor=moderator, ip="not-an-ip", reason="Bad."
        )


# --- response and closing ---------------------------------------------------------------


def test_response_fulfils_duty_and_tells_opted_in_signers(published, addressee, author):
    opted_in = make_signers(3)
    quiet = make_signers(THRESHOLD - 3)
    petition = sign_many(published, opted_in, wants_updates=True)
    petition = sign_many(petition, quiet)
    assert petition.state == PetitionState.THRESHOLD_REACHED
    with time_machine.travel(at(2026, 4, 20), tick=False), committed():
        response = services.response_publish(
            petition=petition,
            actor=addressee.responder,
            text="A crossing will be built by September.",
            decision=ResponseDecision.ACCEPTED,
            hearing_date=datetime.date(2026, 5, 5),
            files=[SimpleUploadedFile("decision.pdf", b"%PDF-1.4 decision")],
        )
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.response_state == ResponseState.RESPONDED
    assert petition.responded_at == at(2026, 4, 20)
    assert response.attachments.count() == 1
    duty = petition.response_obligation
    assert duty.answered_at == at(2026, 4, 20) and duty.outcome == "accepted"
    told = set(
        Notification.objects.filter(kind=services.KIND_RESPONDED).values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {author.pk, *(s.pk for s in opted_in)}
    # The petition keeps collecting until its end, then closes.
    assert petition.state == PetitionState.THRESHOLD_REACHED
    assert services.close_expired(now=AFTER_COLLECTION)["closed"] == 1
    assert Petition.objects.get(pk=petition.pk).state == PetitionState.CLOSED


def test_only_addressee_responds_once(published, addressee, agency_with_staff):
    petition = sign_many(published, make_signers(THRESHOLD))
    with pytest.raises(PermissionDenied):
        services.response_publish(
            petition=petition, actor=addressee.drafter, text="No.", decision="rejected"
        )
    services.response_publish(
        petition=petition, actor=addressee.head, text="Yes.", decision="accepted"
    )
    with pytest.raises(PermissionDenied):
        services.response_publish(
            petition=petition, actor=addressee.head, text="Again.", decision="accepted"
        )


def test_unanswered_threshold_petition_stays_open_for_response(published):
    petition = sign_many(published, make_signers(THRESHOLD))
    assert services.close_expired(now=AFTER_COLLECTION)["closed"] == 0
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == PetitionState.THRESHOLD_REACHED
    assert petition.effective_state(AFTER_COLLECTION) == PetitionState.THRESHOLD_REACHED
    assert not petition.is_collecting(AFTER_COLLECTION)


def test_collection_end_closes_public_petition(published):
    petition = sign_many(published, make_signers(MINIMUM))
    assert petition.state == PetitionState.PUBLIC
    assert petition.effective_state(AFTER_COLLECTION) == PetitionState.CLOSED
    with time_machine.travel(AFTER_COLLECTION, tick=False), pytest.raises(PermissionDenied):
        services.signature_add(petition=petition, user=UserFactory())
    assert services.close_expired(now=at(2026, 9, 4, 23))["closed"] == 0
    assert services.close_expired(now=AFTER_COLLECTION)["closed"] == 1
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.state == PetitionState.CLOSED
    assert petition.closed_at == AFTER_COLLECTION


def test_close_expired_command(published, capsys):
    from django.core.management import call_command

    with time_machine.travel(AFTER_SUPPORT, tick=False):
        call_command("close_expired_petitions")
    assert "closed_unsupported: 1" in capsys.readouterr().out


def test_every_change_is_audited(published, moderator):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "petition_created",
        "petition_submitted",
        "petition_moderation_started",
        "petition_published",
    } <= actions


def test_hide_and_restore(published, moderator):
    from moderation.services import moderation_hide, moderation_restore

    moderation_hide(targets=[published], reason="abuse", actor=moderator)
    petition = Petition.objects.get(pk=published.pk)
    assert petition.hidden_at is not None and petition.hidden_reason == "abuse"
    with pytest.raises(PermissionDenied):
        services.signature_add(petition=petition, user=UserFactory())
    moderation_restore(targets=[petition], actor=moderator)
    assert Petition.objects.get(pk=published.pk).hidden_at is None

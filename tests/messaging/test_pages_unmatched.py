"""The unmatched inbox: texts from numbers no household has, for organization-wide staff."""

from django.urls import reverse

from tandem.messaging.models import Delivery, InboundMessage


def _unknown_text(organization, body: str) -> InboundMessage:
    # With several organizations on one sending number, `inbound.receive_sms` cannot
    # tell whose an unknown sender is; here each text is already filed to one.
    return InboundMessage.objects.create(
        organization=organization,
        channel=Delivery.Channel.SMS,
        from_address="+13125559999",
        body=body,
        provider_id=f"SM-{body}",
    )


def test_organization_wide_staff_see_their_organizations_unmatched_texts(world, client):
    _unknown_text(world.district, "Who is this?")
    _unknown_text(world.other_district, "Not yours")
    client.force_login(world.district_staff)

    page = client.get(reverse("messaging:unmatched")).text

    assert "Who is this?" in page
    assert "Not yours" not in page
    assert "+13125559999" in page


def test_school_staff_see_none(world, client):
    _unknown_text(world.district, "Who is this?")
    client.force_login(world.teacher)

    page = client.get(reverse("messaging:unmatched")).text

    assert "Who is this?" not in page
    assert "No texts from unknown numbers." in page

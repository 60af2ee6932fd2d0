"""The translation pages: review queue, review, glossary, memory, policy."""

from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.translation.models import GlossaryTerm, MemorySegment, TranslationRequest
from tandem.translation.selectors import SendingPolicy, sending_policy
from tandem.translation.services import remember, request_translation


def _ask(world, text="The bus leaves at 8.", language="es", organization=None):
    return request_translation(
        organization=organization or world.district,
        text=text,
        source_language="en",
        target_language=language,
    )


def test_the_queue_lists_pending_drafts_of_the_reviewers_organization(world, client):
    _ask(world, "Spanish please", "es")
    _ask(world, "Vietnamese please", "vi")
    _ask(world, "Not yours", "es", organization=world.other_district)
    client.force_login(world.teacher)

    page = client.get(reverse("translation:queue")).text

    assert "Spanish please" in page and "Vietnamese please" in page
    assert "Not yours" not in page
    assert "2 translations waiting" in page


def test_the_queue_filters_by_language(world, client):
    _ask(world, "Spanish please", "es")
    _ask(world, "Vietnamese please", "vi")
    client.force_login(world.teacher)

    page = client.get(reverse("translation:queue"), {"language": "vi"}).text

    assert "Vietnamese please" in page and "Spanish please" not in page


def test_an_unknown_language_filter_is_a_clear_error(world, client):
    client.force_login(world.teacher)
    response = client.get(reverse("translation:queue"), {"language": "xx"})
    assert response.status_code == 400
    assert "There is a problem" in response.text


def test_reviewers_see_their_own_languages_first(world, client):
    _ask(world, "Spanish first asked", "es")
    _ask(world, "Somali asked later", "so")
    client.force_login(world.coordinator)
    response = client.post(reverse("translation:my-languages"), {"languages": "SO, vi"})
    assert response.status_code == 302
    world.coordinator.refresh_from_db()
    assert world.coordinator.review_languages == ["so", "vi"]

    page = client.get(reverse("translation:queue")).text
    assert page.index("Somali asked later") < page.index("Spanish first asked")


def test_a_bad_review_language_changes_nothing(world, client):
    client.force_login(world.coordinator)
    response = client.post(reverse("translation:my-languages"), {"languages": "es, nonsense!"})
    assert response.status_code == 302
    world.coordinator.refresh_from_db()
    assert world.coordinator.review_languages == []
    assert "nonsense" in client.get(reverse("translation:queue")).text


def test_the_queue_makes_the_same_queries_for_many_drafts(
    world, client, django_assert_max_num_queries
):
    client.force_login(world.teacher)
    for n in range(3):
        _ask(world, f"Message {n}", "es")
    client.get(reverse("translation:queue"))  # warm the session and the scopes
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("translation:queue"))
    for n in range(60):
        _ask(world, f"Another message {n}", ["es", "vi", "so"][n % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("translation:queue"))
    assert "63 translations waiting" in response.text


def test_the_review_page_shows_original_draft_glossary_and_similar(world, client):
    remember(
        organization=world.district,
        source_language="en",
        target_language="es",
        source_text="Report cards go home on Monday.",
        approved_text="Las boletas de calificaciones se envían a casa el lunes.",
    )
    request = _ask(world, "Report cards go home on Friday.")
    client.force_login(world.principal)

    page = client.get(reverse("translation:review", args=[request.pk])).text

    assert "Report cards go home on Friday." in page
    assert "boleta de calificaciones" in page  # glossary hint
    assert "Las boletas de calificaciones se envían a casa el lunes." in page  # memory
    assert "No translation engine is set up." in page
    assert AuditEvent.objects.filter(action="translation.request.view").count() == 1


def test_approving_from_the_review_page(world, client):
    request = _ask(world)
    client.force_login(world.teacher)

    response = client.post(
        reverse("translation:review", args=[request.pk]),
        {"text": "El autobús sale a las 8.", "action": "approve"},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == TranslationRequest.Status.APPROVED
    assert MemorySegment.objects.filter(approved_text="El autobús sale a las 8.").exists()


def test_saving_edited_text_from_the_review_page(world, client):
    request = _ask(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("translation:review", args=[request.pk]),
        {"text": "El autobús sale…", "action": "save"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_pending and request.draft_text == "El autobús sale…"


def test_an_empty_translation_is_refused_with_a_message(world, client):
    request = _ask(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("translation:review", args=[request.pk]), {"text": " ", "action": "approve"}
    )
    assert response.status_code == 400
    assert "Write the translation before saving it." in response.text
    request.refresh_from_db()
    assert request.is_pending


def test_an_unknown_action_is_refused(world, client):
    request = _ask(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("translation:review", args=[request.pk]), {"text": "Hola", "action": "publish"}
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.is_pending


def test_adding_a_glossary_term(world, client):
    client.force_login(world.org_admin)
    response = client.post(
        reverse("translation:glossary"),
        {"target_language": "ES", "term": "snow day", "rendering": "día de nieve"},
    )
    assert response.status_code == 302
    term = GlossaryTerm.objects.get(organization=world.district)
    assert (term.target_language, term.term_key) == ("es", "snow day")
    page = client.get(response["Location"]).text
    assert "día de nieve" in page and "boleta de calificaciones" in page


def test_a_glossary_term_with_a_bad_language_is_refused(world, client):
    client.force_login(world.org_admin)
    response = client.post(
        reverse("translation:glossary"),
        {"target_language": "elvish?", "term": "snow day", "rendering": "x"},
    )
    assert response.status_code == 400
    assert "is not a language tag we recognize" in response.text
    assert not GlossaryTerm.objects.exists()


def test_editing_and_removing_an_own_glossary_term(world, client):
    client.force_login(world.district_staff)
    client.post(
        reverse("translation:glossary"),
        {"target_language": "vi", "term": "snow day", "rendering": "ngày tuyết"},
    )
    term = GlossaryTerm.objects.get()
    url = reverse("translation:glossary-term", args=[term.pk])
    assert client.get(url).status_code == 200

    client.post(url, {"target_language": "vi", "term": "snow day", "rendering": "nghỉ vì tuyết"})
    term.refresh_from_db()
    assert term.rendering == "nghỉ vì tuyết"

    client.post(url, {"delete": "1"})
    assert not GlossaryTerm.objects.exists()


def test_the_memory_page_searches_approved_segments(world, client):
    for source, approved in [("Picture day", "Día de fotos"), ("Book fair", "Feria del libro")]:
        remember(
            organization=world.district,
            source_language="en",
            target_language="es",
            source_text=source,
            approved_text=approved,
        )
    client.force_login(world.org_admin)
    page = client.get(reverse("translation:memory"), {"q": "libro"}).text
    assert "Feria del libro" in page and "Día de fotos" not in page


def test_the_memory_page_of_another_organization_is_hidden(world, client):
    client.force_login(world.org_admin)
    response = client.get(reverse("translation:memory"), {"organization": world.other_district.pk})
    assert response.status_code == 404


def test_changing_the_policy_from_its_page(world, client):
    client.force_login(world.org_admin)
    response = client.post(reverse("translation:policy"), {"policy": "machine_drafts"})
    assert response.status_code == 302
    assert sending_policy(world.district) == SendingPolicy.MACHINE_DRAFTS_THEN_REVIEW


def test_a_bad_policy_choice_changes_nothing(world, client):
    client.force_login(world.org_admin)
    response = client.post(reverse("translation:policy"), {"policy": "anything goes"})
    assert response.status_code == 400
    assert sending_policy(world.district) == SendingPolicy.REVIEWED_ONLY


def test_the_policy_of_another_organization_cannot_be_changed(world, client):
    client.force_login(world.org_admin)
    response = client.post(
        reverse("translation:policy"),
        {"policy": "machine_drafts", "organization": world.other_district.pk},
    )
    assert response.status_code == 404
    assert sending_policy(world.other_district) == SendingPolicy.REVIEWED_ONLY


def test_the_review_pages_read_right_to_left_in_arabic(world, client):
    request = _ask(world, "Report cards go home on Friday.", "ar")
    client.force_login(world.teacher)
    queue = client.get(reverse("translation:queue"), HTTP_ACCEPT_LANGUAGE="ar").text
    assert '<html lang="ar" dir="rtl">' in queue and "ترجمة واحدة بانتظار المراجعة" in queue
    review = client.get(
        reverse("translation:review", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="ar"
    ).text
    assert 'lang="ar" dir="auto"' in review and "كشف الدرجات" in review

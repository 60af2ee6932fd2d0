"""The printable report: a PDF made by WeasyPrint, named for its campaign, whose text
holds the quotes but no trace of an anonymous respondent."""

import pytest
import weasyprint
from django.urls import reverse
from weasyprint.formatting_structure.boxes import TextBox

from tests.listening.test_report import (
    _fresh_roster_names,  # noqa: F401  (the autouse fixture)
    needs_and_strengths,
)


@pytest.fixture
def printed(monkeypatch):
    """The HTML each PDF was made from; `text_of(html)` lays it out as the PDF does and
    returns the text on its pages."""
    sources = []
    real = weasyprint.HTML

    def spy(*args, **kwargs):
        sources.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    return sources


def text_of(html: str) -> str:
    document = weasyprint.HTML(string=html).render()
    return " ".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    )


def test_the_report_downloads_as_a_named_pdf(world, campaign, client):
    needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)

    response = client.get(reverse("listening:report-pdf", args=[campaign.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="strengths-and-needs-{campaign.pk}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_holds_the_quotes_and_no_trace_of_an_anonymous_respondent(
    world, campaign, client, printed
):
    needs_and_strengths(world, campaign)
    client.force_login(world.coordinator)

    client.get(reverse("listening:report-pdf", args=[campaign.pk]))

    text = " ".join(text_of(printed[0]).split())
    assert "Transportation to events" in text
    assert "evening events without a bus" in text
    assert "Fewer than 5 answers" in text
    for trace in ["María", "García", "555", "0101", "maria.garcia", "Web link", "Turn into action"]:
        assert trace not in text


def test_a_teacher_prints_the_report_too(world, campaign, client):
    client.force_login(world.teacher)

    response = client.get(reverse("listening:report-pdf", args=[campaign.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")

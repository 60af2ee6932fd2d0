"""The living style guide renders every component, for anyone, in every language."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_the_style_guide_renders_for_anyone(language, db, client):
    client.cookies["tandem_language"] = language
    response = client.get(reverse("directory:style-guide"))
    assert response.status_code == 200
    page = response.content.decode()
    for component in ["error-summary", "badge--need", "table--cards", "pagination", "swatch"]:
        assert component in page
    assert 'dir="rtl"' in page
    if language == "ar":
        assert '<html lang="ar" dir="rtl">' in page

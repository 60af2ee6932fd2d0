"""The navigation marks one item as the current page: the most specific one."""

from django.test import RequestFactory

from tandem.web.navigation import navigation_for


def current_items(user, path: str) -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    return [item.label for item in navigation_for(request) if item.current]


def test_the_reach_page_is_reach_not_messages(world):
    assert current_items(world.coordinator, "/messages/reach/") == ["Reach"]


def test_a_message_page_is_messages(world):
    assert current_items(world.coordinator, "/messages/12/") == ["Messages"]


def test_the_home_page_is_only_home(world):
    assert current_items(world.coordinator, "/") == ["Home"]

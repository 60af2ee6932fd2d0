"""What the base layout needs: the navigation for this user's roles."""

from tandem.web.navigation import navigation_for


def navigation(request):
    return {"navigation": navigation_for(request)}

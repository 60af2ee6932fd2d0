"""The navigation each user sees, built from what their roles allow."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.accounts.permissions import Action, can, is_family_member, is_staff_member


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def navigation_for(request) -> list[NavItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [(_("Home"), reverse("web:home"))]
    if is_family_member(user):
        items.append((_("My family"), reverse("family:home")))
        items.append((_("Messages"), reverse("messaging:family-inbox")))
    if can(user, Action.VIEW_DIRECTORY):
        items.append((_("Households"), reverse("directory:households")))
        items.append((_("Caregivers"), reverse("directory:caregivers")))
        items.append((_("Schools"), reverse("directory:schools")))
    if can(user, Action.SEND_MESSAGES):
        items.append((_("Messages"), reverse("messaging:messages")))
    if can(user, Action.VIEW_REPORTS):
        items.append((_("Reach"), reverse("messaging:reach")))
    if can(user, Action.RUN_LISTENING):
        items.append((_("Listening"), reverse("listening:campaigns")))
        items.append((_("Action plan"), reverse("listening:actions")))
    if can(user, Action.RUN_PROGRAMS):
        items.append((_("Programs"), reverse("programs:programs")))
    if can(user, Action.IMPORT_ROSTER):
        items.append((_("Roster import"), reverse("rosters:imports")))
    if can(user, Action.REVIEW_TRANSLATIONS):
        items.append((_("Translations"), reverse("translation:queue")))
    if is_staff_member(user) or user.has_usable_password():
        items.append((_("Sign-in and security"), reverse("accounts:security")))
    # The current item is the one whose address is the longest start of this page's:
    # /messages/reach/ is Reach, not Messages.
    path = request.path
    matches = [url for _label, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return [NavItem(str(label), url, url == current) for label, url in items]

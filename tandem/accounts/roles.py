"""The roles a membership can give, and the scope each one works at."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Organization-wide roles.
    ORG_ADMIN = "org_admin", _("Organization administrator")
    DISTRICT_FACE = "district_face", _("District family & community engagement staff")
    PARTNER_STAFF = "partner_staff", _("Partner organization staff")
    FUNDER = "funder", _("Funder (reports only)")
    # School roles.
    PRINCIPAL = "principal", _("Principal")
    FAMILY_ENGAGEMENT_LEAD = "family_engagement_lead", _("Family engagement lead")
    PARENT_COORDINATOR = "parent_coordinator", _("Parent coordinator")
    COMMUNITY_REPRESENTATIVE = "community_representative", _("Community representative")
    TEACHER = "teacher", _("Teacher")
    COUNSELOR = "counselor", _("Counselor")
    OFFICE_STAFF = "office_staff", _("Office staff")
    # A family member who helps the school, e.g. by reviewing translations in their
    # language; signs in like staff (password), reaches no family's personal data.
    PARENT_LEADER = "parent_leader", _("Parent leader")


ORGANIZATION_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.DISTRICT_FACE, Role.PARTNER_STAFF, Role.FUNDER}
)
SCHOOL_ROLES = frozenset(set(Role) - ORGANIZATION_ROLES)

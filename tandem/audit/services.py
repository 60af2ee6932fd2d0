"""Writing audit rows. Callers pass ids and counts; personal data never goes in."""

from typing import Any

from django.db import models

from tandem.audit.models import AuditEvent


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    organization_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    if organization_id is None and target is not None:
        organization_id = getattr(target, "organization_id", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        organization_id=organization_id,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        detail=detail,
    )

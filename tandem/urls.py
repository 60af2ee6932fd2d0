"""Every URL of Tandem. Each view declares its access rule (tandem.accounts.access)."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Tandem operators"
admin.site.site_title = "Tandem operators"

urlpatterns = [
    path("", include("tandem.web.urls")),
    path("accounts/", include("tandem.accounts.urls")),
    path("family/", include("tandem.accounts.family_urls")),
    path("directory/", include("tandem.directory.urls")),
    path("directory/import/", include("tandem.rosters.urls")),
    path("outbox/", include("tandem.outbox.urls")),
    path("translation/", include("tandem.translation.urls")),
    path("messages/sms/", include("tandem.messaging.webhook_urls")),
    path("messages/email/", include("tandem.messaging.email_webhook_urls")),
    path("messages/", include("tandem.messaging.urls")),
    path("listening/", include("tandem.listening.urls")),
    path("l/", include("tandem.listening.family_urls")),
    path("programs/", include("tandem.programs.urls")),
    path("p/", include("tandem.programs.family_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "tandem.web.views.permission_denied"
handler404 = "tandem.web.views.page_not_found"
handler500 = "tandem.web.views.server_error"

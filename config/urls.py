from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mentorship.admin_login import admin_login

admin.site.site_header = _("Mentor programs administration")
admin.site.site_title = _("Mentor programs")
admin.site.index_title = _("Program office")
# Staff sign in through allauth's rate-limited form, never Django's own.
admin.site.login = admin_login

# A database outage answers 503 (programs/outage.py), any other error 500.
handler500 = "programs.outage.server_error"

urlpatterns = [
    # Browsers ask for /favicon.ico before reading the page's icon link.
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("mentorship.urls")),
    path("", include("sessions_app.urls_activities")),
    path("", include("assessments.urls_competence")),
    path("", include("mentorship.urls_opportunities")),
    path("", include("sessions_app.urls_meetings")),
    path("", include("assessments.urls")),
    path("", include("assessments.urls_survey")),
    path("", include("assessments.urls_dashboard")),
    path("", include("assessments.urls_awards")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

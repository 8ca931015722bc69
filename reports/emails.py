"""The email that says a report is ready, with its link (the link works only for someone who
may see the report, after signing in)."""

from django.conf import settings

from portal.emails import email_send
from reports.models import Report


def report_ready_send(*, report_id):
    made = Report.objects.select_related("requested_by", "region", "psc").get(pk=report_id)
    if made.status != Report.Status.READY:
        return 0
    return email_send(
        to=made.requested_by.email,
        subject=f"Your quarterly report is ready: {made.scope_name}, {made.quarter}",
        template="reports/email/ready",
        context={
            "report": made,
            "url": settings.SITE_URL.rstrip("/") + made.get_absolute_url(),
            "person": made.requested_by,
        },
    )

"""Every URL pattern of the project, requested by every role, with the status code expected.

The table is keyed by URL name (unnamed patterns by their route). A pattern with no row fails
the first test, so a new page cannot be added without saying who may see it. The requests are
GETs by people who have just re-authenticated and with the MFA requirement off, so what is
tested is the roles and their scope; state changes by POST are tested in
tests/accounts/test_people.py and tests/accounts/test_invitations.py.
"""

import copy
import datetime
from typing import NamedTuple

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.lockout import unlock_token
from accounts.models import RoleAssignment
from accounts.roles import Role
from accounts.services import invitation_create, invitation_token
from curriculum.services import (
    curriculum_entry_create,
    staff_support_create,
    training_session_create,
)
from digests.tokens import unsubscribe_token
from fellows.models import Milestone
from imports.models import Import
from learning.models import LearningItem
from regions.models import Organisation
from regions.ods import read_shipped_trusts
from regions.services import ods_refresh_upload
from register.models import AdoptionStage, RecommendationKind
from register.services import adoption_create, recommendation_create
from reports.models import Report
from taxonomy.models import Profession
from tests.discussion.factories import CommentFactory
from tests.fellows.factories import InitiativeFactory
from tests.learning.factories import InvestigationFactory, LearningItemFactory
from tests.roles import host_psc, partner_organisation, person_with, region, sign_in

ROLES = ("anonymous", "fellow", "lead", "chair", "national", "reader")


class Expect(NamedTuple):
    anonymous: int
    fellow: int
    lead: int
    chair: int
    national: int
    reader: int


def everyone(code):
    return Expect(*[code] * len(ROLES))


def signed_in(code, anonymous=302):
    """`code` for every signed-in role; anonymous visitors are sent to sign in."""
    return Expect(anonymous, *[code] * (len(ROLES) - 1))


# National team and regional leads manage people; the sample records are in the lead's region.
MANAGERS = Expect(anonymous=302, fellow=403, lead=200, chair=403, national=200, reader=403)
NOT_READERS = Expect(anonymous=302, fellow=200, lead=200, chair=200, national=200, reader=403)
AUTHORS = Expect(anonymous=302, fellow=200, lead=403, chair=403, national=200, reader=403)
IN_SCOPE = Expect(anonymous=302, fellow=404, lead=200, chair=404, national=200, reader=404)
# The fellows on an initiative, the lead of its region and the national team change it. A
# partner reader is refused before the initiative is looked up.
RECORDERS = Expect(anonymous=302, fellow=200, lead=200, chair=403, national=200, reader=403)
# The fellows and lead of the record's region and the national team; a chair sees it but
# does not change it; a partner reader is refused before it is looked up.
FOLLOWERS_UP = Expect(anonymous=302, fellow=200, lead=200, chair=403, national=200, reader=404)
INITIATIVE_EDITORS = Expect(
    anonymous=302, fellow=200, lead=200, chair=403, national=200, reader=404
)

NATIONAL_ONLY = Expect(anonymous=302, fellow=403, lead=403, chair=403, national=200, reader=403)

EXPECTED = {
    "home": signed_in(200),
    "health-live": everyone(200),
    "health-ready": everyone(200),
    "regions:list": signed_in(200),
    # The organisation boxes' autocomplete: reference data, the same for everyone signed in.
    "regions:organisation-search": signed_in(200),
    # Refreshing the NHS trusts from a newer ODS file: the national team only.
    "regions:ods-refresh-start": NATIONAL_ONLY,
    "regions:ods-refresh": NATIONAL_ONLY,
    "regions:ods-refresh-apply": NATIONAL_ONLY._replace(national=405),  # POST only
    # People and invitations.
    "accounts:people": MANAGERS,
    "accounts:invitations": MANAGERS,
    "accounts:invite": MANAGERS,
    "accounts:person": IN_SCOPE,
    "accounts:person-deactivate": IN_SCOPE,
    "accounts:person-two-factor-reset": IN_SCOPE,
    # The sample person's account is active: those in scope are sent back with a message.
    "accounts:person-reactivate": Expect(302, 404, 302, 404, 302, 404),
    "accounts:assignment-end": IN_SCOPE,
    "accounts:assignment-dates": IN_SCOPE,
    "accounts:invitation": IN_SCOPE,
    "accounts:invitation-resend": IN_SCOPE,
    "accounts:invitation-revoke": IN_SCOPE,
    # Initiatives: everyone with a role but a partner reader; the sample is the fellow's, in the
    # north, and its PSC is the chair's.
    "fellows:list": signed_in(200)._replace(reader=403),
    "fellows:add": Expect(anonymous=302, fellow=200, lead=403, chair=403, national=200, reader=403),
    "fellows:detail": signed_in(200)._replace(reader=403),
    "fellows:edit": INITIATIVE_EDITORS,
    "fellows:milestone-add": INITIATIVE_EDITORS,
    "fellows:milestone-edit": INITIATIVE_EDITORS,
    "fellows:milestone-complete": signed_in(405),  # POST only
    "fellows:progress-add": INITIATIVE_EDITORS,
    # Public: a signed-in person who is not the invitee is told the link is someone else's.
    "accounts:invitation-accept": everyone(200),
    # Public: the owner's link past a pause on their account; opening it uses nothing up.
    "accounts:unlock": everyone(200),
    # Investigations: working records, not for partner readers; fellows and national add them.
    "learning:investigation-list": NOT_READERS,
    "learning:investigation-add": AUTHORS,
    "learning:investigation-detail": NOT_READERS,
    "learning:investigation-edit": Expect(302, 200, 200, 403, 200, 404),
    # Learning: the detail is of a published item; the rest of the north fellow's draft.
    "learning:item-list": signed_in(200),
    "learning:item-add": AUTHORS,
    "learning:item-detail": signed_in(200),
    "learning:item-edit": Expect(302, 200, 403, 404, 403, 404),
    "learning:item-submit": Expect(302, 200, 403, 404, 403, 404),
    # A draft cannot be published or returned: those in scope are sent back with a message.
    "learning:item-publish": Expect(302, 403, 302, 404, 302, 404),
    "learning:item-return": Expect(302, 403, 302, 404, 302, 404),
    "learning:item-withdraw": Expect(302, 200, 200, 404, 200, 404),
    "learning:review-queue": MANAGERS,
    "learning:item-public": signed_in(405),  # POST only
    # The discussion of the published item: everyone working in the programme comments and
    # replies; a partner reader reads only. The sample comment is the subject's (no role here
    # wrote it), so nobody else edits it; the item's lead and the national team hide it.
    "discussion:comment-add": signed_in(200)._replace(reader=403),
    "discussion:comment-reply": signed_in(200)._replace(reader=403),
    # A comment's lasting link sends whoever sees its item on to the item's page.
    "discussion:comment": signed_in(302),
    "discussion:comment-edit": signed_in(403),
    "discussion:comment-hide": Expect(302, 403, 200, 403, 200, 403),
    "learning:news-seen": signed_in(405),  # POST only, and only about the person's own learning
    # The public pages: published learning made public, for anyone, signed in or not.
    "public:list": everyone(200),
    "public:item": everyone(200),
    "public:feed": everyone(200),
    "public:region-feed": everyone(200),
    "public:sitemap": everyone(200),
    "public:robots": everyone(200),
    # Each person's own choice of being named there.
    "accounts:public-name": signed_in(200),
    "search:results": signed_in(200),
    # Digests: everyone sets their own; leads preview their region's; national sees the runs.
    # The unsubscribe link works for anyone holding it, signed in or not.
    "digests:preferences": signed_in(200),
    "digests:preview": MANAGERS,
    "digests:runs": Expect(302, 403, 403, 403, 200, 403),
    "digests:unsubscribe": everyone(200),
    # The register: working records of the regions, so not for partner readers. Fellows, leads
    # and the national team record; the recommendation and the adoption are in the north.
    "register:recommendation-list": NOT_READERS,
    "register:recommendation-add": RECORDERS,
    "register:gap-add": RECORDERS,
    "register:response-rates": NOT_READERS,
    "register:recommendation-detail": NOT_READERS,
    "register:recommendation-edit": FOLLOWERS_UP,
    "register:response-add": FOLLOWERS_UP,
    "register:answers": FOLLOWERS_UP,
    "register:answer-remove": signed_in(405),  # POST only
    "register:spread": NOT_READERS,
    # Without an initiative or learning item named, it says where to start.
    "register:adoption-add": RECORDERS,
    "register:adoption-detail": NOT_READERS,
    "register:adoption-edit": FOLLOWERS_UP,
    "register:adoption-stage": FOLLOWERS_UP,
    "register:thread": NOT_READERS,
    # Curriculum and training: working records of the regions, like the register; the
    # records are in the north, recorded by the north fellow.
    "curriculum:entry-list": NOT_READERS,
    "curriculum:entry-add": RECORDERS,
    "curriculum:entry-detail": NOT_READERS,
    "curriculum:entry-edit": FOLLOWERS_UP,
    "curriculum:entry-status": FOLLOWERS_UP,
    "curriculum:training-list": NOT_READERS,
    "curriculum:reach": NOT_READERS,
    "curriculum:training-add": RECORDERS,
    "curriculum:training-detail": NOT_READERS,
    "curriculum:training-edit": FOLLOWERS_UP,
    "curriculum:support-list": NOT_READERS,
    "curriculum:support-add": RECORDERS,
    "curriculum:support-detail": NOT_READERS,
    "curriculum:support-edit": FOLLOWERS_UP,
    # The grid of each person's own region (the national team's: every region).
    "curriculum:coverage": NOT_READERS,
    "curriculum:coverage-cell": NOT_READERS,
    # Dashboards: a region's figures for everyone working in it (the north's, here); the
    # national dashboard for the national team. A partner reader works in no region.
    # The menu's "Dashboard" sends each person on to their own (tests/project/test_navigation.py).
    "dashboard-own": Expect(302, 302, 302, 302, 302, 403),
    "dashboard": Expect(anonymous=302, fellow=200, lead=200, chair=200, national=200, reader=403),
    "dashboard-figure": Expect(302, 200, 200, 200, 200, 403),
    "dashboard-national": Expect(302, 403, 403, 403, 200, 403),
    # Quarterly reports: leads, chairs and the national team. The sample is the north host
    # PSC's, asked for by its chair and not made yet, so it cannot be downloaded.
    "reports:request": Expect(302, 403, 200, 200, 200, 403),
    "reports:detail": Expect(302, 403, 200, 200, 200, 403),
    "reports:download": Expect(302, 403, 404, 404, 404, 403),
    # Imports: fellows, leads and the national team; the sample is the north fellow's, checked
    # and not confirmed. Only its uploader changes its columns, confirms or undoes it.
    "imports:start": Expect(302, 200, 200, 403, 200, 403),
    "imports:template": Expect(302, 200, 200, 403, 200, 403),
    "imports:detail": Expect(302, 200, 404, 403, 200, 403),
    "imports:columns": Expect(302, 200, 404, 403, 302, 403),
    "imports:confirm": signed_in(405),
    # Not imported yet, so nothing to undo: its uploader is sent back with a message.
    "imports:undo": Expect(302, 302, 404, 403, 404, 403),
    # Sign-in and account pages. Signed-in people are sent on from the sign-in pages.
    "account_login": signed_in(302, anonymous=200),
    "account_logout": signed_in(200),
    "account_inactive": everyone(200),
    "account_signup": signed_in(302, anonymous=200),  # says sign-up is closed
    "account_reauthenticate": signed_in(200),
    "account_email": signed_in(200),
    "account_email_verification_sent": everyone(200),
    "account_change_password": signed_in(200),
    "account_set_password": signed_in(302),
    "account_reset_password": everyone(200),
    "account_reset_password_done": everyone(200),
    "account_reset_password_from_key": everyone(200),  # an invalid key: "bad token" page
    "account_reset_password_from_key_done": everyone(200),
    "account_confirm_login_code": everyone(302),
    "account_confirm_email": everyone(200),  # an unknown key: "link expired or invalid"
    # Two-factor authentication and sessions: each person manages their own. Everyone here
    # already has an authenticator app, so setting one up sends them to the overview.
    "mfa_index": signed_in(200),
    "mfa_activate_totp": signed_in(302),
    "mfa_deactivate_totp": signed_in(200),
    "mfa_authenticate": everyone(302),  # only part of a sign-in in progress
    "mfa_reauthenticate": signed_in(200),
    # Nobody here has recovery codes yet: there is nothing to show until they make some.
    "mfa_view_recovery_codes": signed_in(404),
    "mfa_generate_recovery_codes": signed_in(200),
    "mfa_download_recovery_codes": signed_in(404),
    "usersessions_list": signed_in(200),
}

# The Django admin: only staff may use it, and no role makes anyone staff, so every page sends
# everyone to the admin sign-in page, which itself answers.
ADMIN_MODELS = [
    "auth_group",
    "account_emailaddress",
    "accounts_user",
    "regions_regionscheme",
    "regions_region",
    "regions_organisation",
    "regions_patientsafetycollaborative",
    "regions_odsregionmapping",
    "regions_odsrefresh",
    "accounts_securityevent",
    "mfa_authenticator",
    "usersessions_usersession",
    "taxonomy_theme",
    "register_recommendation",
    "register_responsedeadline",
    "register_adoption",
    "taxonomy_profession",
    "taxonomy_searchsynonym",
    "curriculum_curriculumentry",
    "curriculum_trainingsession",
    "curriculum_staffsupport",
    # The SPC charts' targets and rebases (dashboards/admin.py).
    "dashboards_target",
    "dashboards_rebase",
    # The outbox of email and what was sent (portal/emails.py): the national team's status page.
    "mailer_message",
    "mailer_messagelog",
    "mailer_dontsendentry",
]
ADMIN_DEFAULT = everyone(302)
EXPECTED |= {
    f"admin:{model}_{page}": ADMIN_DEFAULT
    for model in ADMIN_MODELS
    for page in ("changelist", "add", "history", "delete", "change")
}
EXPECTED |= {
    f"admin/{model.replace('_', '/', 1)}/<path:object_id>/": ADMIN_DEFAULT for model in ADMIN_MODELS
}
EXPECTED |= {
    "admin:index": ADMIN_DEFAULT,
    # The admin signs in through the portal's own sign-in; signed-in non-staff are refused.
    "admin:login": signed_in(403, anonymous=302),
    "admin:logout": ADMIN_DEFAULT,
    "admin:password_change": ADMIN_DEFAULT,
    "admin:password_change_done": ADMIN_DEFAULT,
    "admin:autocomplete": ADMIN_DEFAULT,
    "admin:jsi18n": ADMIN_DEFAULT,
    "admin:view_on_site": ADMIN_DEFAULT,
    "admin:app_list": ADMIN_DEFAULT,
    "admin:auth_user_password_change": ADMIN_DEFAULT,
    "admin/(?P<url>.*)$": ADMIN_DEFAULT,
}


def url_patterns(patterns=None, prefix="", namespace=""):
    """(key, route, pattern) for every endpoint: the key is the namespaced name, or the full
    route for an unnamed pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = route
            yield key, route, pattern


PATTERNS = {key: route for key, route, _pattern in url_patterns()}


def test_every_url_pattern_has_a_row_in_the_table():
    missing = sorted(set(PATTERNS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(PATTERNS))
    assert not missing, f"Add these URL patterns to the access matrix: {missing}"
    assert not stale, f"These rows name no URL pattern any more: {stale}"


def people_with_each_role():
    return {
        "fellow": person_with(Role.FELLOW, "north"),
        "lead": person_with(Role.REGIONAL_LEAD, "north"),
        "chair": person_with(Role.PSC_CHAIR, "north"),
        "national": person_with(Role.NATIONAL),
        "reader": person_with(Role.PARTNER_READER),
    }


def sample_records(people):
    """Records in the north region for the pages about one record."""
    subject = person_with(Role.FELLOW, "north")
    RoleAssignment.objects.filter(user=subject).update(starts_on="2025-01-01")
    invitation = invitation_create(
        by=people["national"],
        email="invitee@example.org",
        full_name="Invitee",
        role=Role.FELLOW,
        region=region("north"),
        psc=host_psc("north"),
    )
    initiative = InitiativeFactory(created_by=people["fellow"], region=region("north"))
    milestone = Milestone.objects.create(
        initiative=initiative, title="Baseline audit", due_on="2026-06-30"
    )
    investigation = InvestigationFactory(created_by=subject)
    published = LearningItemFactory(
        created_by=subject, status=LearningItem.Status.PUBLISHED, published_at=timezone.now()
    )
    LearningItem.objects.filter(pk=published.pk).update(is_public=True)
    draft = LearningItemFactory(created_by=people["fellow"])
    comment = CommentFactory(item=published, author=subject, body="We tried this on our ward.")
    recommendation = recommendation_create(
        by=people["fellow"],
        kind=RecommendationKind.SAFETY_RECOMMENDATION,
        investigation=investigation,
        text="Agree a national standard for escalating a deteriorating patient.",
        addressed_to=partner_organisation(),
        region=region("north"),
        issued_on=datetime.date(2026, 3, 1),
    )
    adoption = adoption_create(
        by=people["fellow"],
        learning_item=published,
        organisation=partner_organisation(),
        region=region("north"),
        stage=AdoptionStage.PILOTING,
    )
    entry = curriculum_entry_create(
        by=people["fellow"],
        organisation=Organisation.objects.create(
            slug="test-university", kind=Organisation.Kind.HIGHER_EDUCATION, name="Test University"
        ),
        programme="Foundation doctors' teaching",
        profession=Profession.objects.first(),
        stage="postgraduate",
        change="A session on human factors.",
        academic_year="2026/27",
        region=region("north"),
    )
    session = training_session_create(
        by=people["fellow"],
        held_on=datetime.date(2026, 10, 1),
        title="Human factors simulation",
        format="simulation",
        professions=[Profession.objects.first()],
        people_trained=12,
        region=region("north"),
        host=partner_organisation(),
    )
    support = staff_support_create(
        by=people["fellow"],
        kind="session",
        held_on=datetime.date(2026, 10, 1),
        organisation=partner_organisation(),
        staff_reached=8,
        support_model="debrief",
        region=region("north"),
    )
    report = Report.objects.create(
        requested_by=people["chair"],
        psc=host_psc("north"),
        region=region("north"),
        year=2025,
        quarter_number=3,
        format=Report.Format.PDF,
    )
    upload = Import(kind="learning", filename="learning.csv", created_by=people["fellow"])
    upload.file.save("learning.csv", ContentFile(b"Title,Type,Summary,Region\n"), save=False)
    upload.save()
    ods_refresh = ods_refresh_upload(
        file_name="etr.csv", trusts=read_shipped_trusts()[:3], by=people["national"]
    )
    return {
        "import": upload,
        "ods_refresh": ods_refresh,
        "report": report,
        "entry": entry,
        "session": session,
        "support": support,
        "recommendation": recommendation,
        "adoption": adoption,
        "investigation": investigation,
        "published": published,
        "comment": comment,
        "draft": draft,
        "subject": subject,
        "assignment": subject.assignments.get(),
        "invitation": invitation,
        "initiative": initiative,
        "milestone": milestone,
    }


@pytest.fixture(scope="module")
def _built_once(module_db):
    with module_db():
        people = people_with_each_role()
        return people, sample_records(people)


# Copies, as Django's setUpTestData gives each test: what one test does to an instance (signing
# in sets last_login) stays out of the next.
@pytest.fixture
def people(_built_once, db, no_mfa_required):
    return copy.deepcopy(_built_once[0])


@pytest.fixture
def samples(_built_once, db):
    return copy.deepcopy(_built_once[1])


def concrete_url(key, samples):
    """A real URL for the pattern, pointing at the sample records."""
    subject = samples["subject"]
    initiative, milestone = samples["initiative"], samples["milestone"]
    by_key = {
        "fellows:detail": {"pk": initiative.pk},
        "fellows:edit": {"pk": initiative.pk},
        "fellows:milestone-add": {"pk": initiative.pk},
        "fellows:progress-add": {"pk": initiative.pk},
        "fellows:milestone-edit": {"initiative_pk": initiative.pk, "pk": milestone.pk},
        "fellows:milestone-complete": {"initiative_pk": initiative.pk, "pk": milestone.pk},
        "accounts:person": {"pk": subject.pk},
        "accounts:person-deactivate": {"pk": subject.pk},
        "accounts:person-two-factor-reset": {"pk": subject.pk},
        "accounts:person-reactivate": {"pk": subject.pk},
        "accounts:assignment-end": {"pk": samples["assignment"].pk},
        "accounts:assignment-dates": {"pk": samples["assignment"].pk},
        "accounts:invitation": {"pk": samples["invitation"].pk},
        "accounts:invitation-resend": {"pk": samples["invitation"].pk},
        "accounts:invitation-revoke": {"pk": samples["invitation"].pk},
        "accounts:invitation-accept": {"token": invitation_token(samples["invitation"])},
        "accounts:unlock": {"token": unlock_token(subject)},
        "learning:investigation-detail": {"pk": samples["investigation"].pk},
        "learning:investigation-edit": {"pk": samples["investigation"].pk},
        "learning:item-detail": {"pk": samples["published"].pk},
        **{
            f"learning:item-{page}": {"pk": samples["draft"].pk}
            for page in ("edit", "submit", "publish", "return", "withdraw")
        },
        "digests:unsubscribe": {"token": unsubscribe_token(subject)},
        "public:item": {"pk": samples["published"].pk},
        "discussion:comment-add": {"pk": samples["published"].pk},
        "discussion:comment-reply": {
            "pk": samples["published"].pk,
            "comment_pk": samples["comment"].pk,
        },
        "discussion:comment": {"pk": samples["comment"].pk},
        "discussion:comment-edit": {"pk": samples["comment"].pk},
        "discussion:comment-hide": {"pk": samples["comment"].pk},
        "learning:item-public": {"pk": samples["published"].pk},
        "public:region-feed": {"region": "north"},
        **{
            f"register:{page}": {"pk": samples["recommendation"].pk}
            for page in (
                "recommendation-detail",
                "recommendation-edit",
                "response-add",
                "answers",
                "answer-remove",
            )
        },
        **{
            f"register:{page}": {"pk": samples["adoption"].pk}
            for page in ("adoption-detail", "adoption-edit", "adoption-stage")
        },
        "register:thread": {"pk": samples["investigation"].pk},
        **{
            f"curriculum:{page}": {"pk": samples[sample].pk}
            for page, sample in [
                ("entry-detail", "entry"),
                ("entry-edit", "entry"),
                ("entry-status", "entry"),
                ("training-detail", "session"),
                ("training-edit", "session"),
                ("support-detail", "support"),
                ("support-edit", "support"),
            ]
        },
        "curriculum:coverage-cell": {"domain": 1, "level": 1},
        "regions:ods-refresh": {"pk": samples["ods_refresh"].pk},
        "regions:ods-refresh-apply": {"pk": samples["ods_refresh"].pk},
        "dashboard": {"slug": "north"},
        "reports:detail": {"pk": samples["report"].pk},
        "reports:download": {"pk": samples["report"].pk},
        **{
            f"imports:{page}": {"pk": samples["import"].pk}
            for page in ("detail", "columns", "confirm", "undo")
        },
        "imports:template": {"kind": "learning"},
        "dashboard-figure": {"slug": "north", "key": "learning.best_practice"},
        "account_confirm_email": {"key": "not-a-real-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "not-a-real-key"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(subject).pk,
            "object_id": subject.pk,
        },
        "admin:app_list": {"app_label": "accounts"},
        "admin:auth_user_password_change": {"id": subject.pk},
    }
    if key.startswith("admin/"):
        return "/" + PATTERNS[key].replace("<path:object_id>", str(subject.pk)).replace(
            "(?P<url>.*)$", "no-such-page/"
        )
    kwargs = by_key.get(key)
    if kwargs is None and "<path:object_id>" in PATTERNS[key]:
        kwargs = {"object_id": subject.pk}
    return reverse(key, kwargs=kwargs)


@pytest.mark.parametrize("key", sorted(PATTERNS))
def test_each_role_gets_the_expected_status(client, people, samples, key):
    if key not in EXPECTED:
        pytest.fail(f"{key} has no row in the access matrix")
    url = concrete_url(key, samples)
    got, kept = {}, []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            sign_in(client, people[role])
        response = client.get(url)
        got[role] = response.status_code
        if role != "anonymous" and not kept_by_no_browser(response):
            kept.append(f"{role} ({response.status_code}): {response.get('Cache-Control')}")
    assert Expect(**got) == EXPECTED[key], url
    # After signing out of a shared computer, Back must show nothing of a signed-in page.
    assert kept == [], f"{url} may be kept by the browser for {kept}"


def kept_by_no_browser(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives

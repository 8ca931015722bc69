import datetime
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.roles import SCOPE_FIELDS, Role
from accounts.scope import user_scope


class UserQuerySet(models.QuerySet):
    def for_user(self, user):
        """The people `user` may see: everyone for the national team; for a regional lead,
        people with an assignment in their region or who joined by an invitation for it."""
        scope = user_scope(user)
        if scope.is_national:
            return self
        regions = scope.led_region_ids
        if not regions:
            return self.none()
        assigned = RoleAssignment.objects.filter(
            models.Q(region__in=regions) | models.Q(psc__primary_region__in=regions)
        ).values("user_id")
        invited = Invitation.objects.filter(region__in=regions, user__isnull=False).values(
            "user_id"
        )
        return self.filter(models.Q(pk__in=assigned) | models.Q(pk__in=invited))

    def fellows_in(self, regions):
        """People with an active safety fellow role in one of `regions`."""
        return self.filter(
            assignments__in=RoleAssignment.objects.active().filter(
                role=Role.FELLOW, region__in=regions
            )
        )

    def fellows_hosted_by(self, pscs):
        """Active accounts with an active safety fellow role hosted by one of `pscs`."""
        return self.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.active()
            .filter(role=Role.FELLOW, psc__in=pscs)
            .values("user"),
        )

    def working_in(self, regions):
        """Active accounts with an active safety fellow or regional lead role in one of
        `regions`: those who may follow up the region's recommendations."""
        return self.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.active()
            .filter(role__in=[Role.FELLOW, Role.REGIONAL_LEAD], region__in=regions)
            .values("user"),
        )

    def regional_leads_of(self, region):
        """Active accounts with an active HEE regional lead role for `region`."""
        return self.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.active()
            .filter(role=Role.REGIONAL_LEAD, region=region)
            .values("user"),
        )

    def with_assignments(self):
        """Prefetch every assignment (active and ended) with what its scope names."""
        return self.prefetch_related(
            models.Prefetch(
                "assignments",
                queryset=RoleAssignment.objects.select_related(
                    "region", "psc__host", "organisation"
                ).order_by("-starts_on", "pk"),
            )
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The email address is the login; there is no username."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the Django admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    # Off until the person says otherwise: the public pages name nobody who has not agreed.
    named_on_public_pages = models.BooleanField(
        "named on public pages",
        default=False,
        db_default=False,
        help_text="Shown as an author of their learning on the public pages.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def active_assignments(self):
        """The roles the person holds today, from their assignments (prefetched by
        `with_assignments()` on lists, so no query a row)."""
        today = timezone.localdate()
        return [assignment for assignment in self.assignments.all() if assignment.is_active(today)]


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on=None):
        """Assignments in force on a day (today by default): started, and not yet ended."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )

    def for_user(self, user):
        """The assignments `user` may see: those of the people in their scope."""
        return self.filter(user__in=User.objects.for_user(user).values("pk"))


class RoleAssignment(models.Model):
    """One role a person holds, in one scope, for a period. An ended assignment grants nothing."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    psc = models.ForeignKey(
        "regions.PatientSafetyCollaborative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="PSC",
    )
    organisation = models.ForeignKey(
        "regions.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text="The last day of the role.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="accounts_assignment_ends_after_start",
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
            ),
            *[
                models.CheckConstraint(
                    name=f"accounts_assignment_{role.value}_scope",
                    condition=~models.Q(role=role.value)
                    | models.Q(
                        **{
                            f"{field}__isnull": field not in needed
                            for field in ("region", "psc", "organisation")
                        }
                    ),
                )
                for role, needed in SCOPE_FIELDS.items()
            ],
        ]

    def __str__(self):
        scope = self.psc or self.region or self.organisation
        return f"{self.get_role_display()}{f' ({scope})' if scope else ''}"

    def clean(self):
        super().clean()
        needed = SCOPE_FIELDS[Role(self.role)] if self.role else set()
        errors = {}
        for field in ("region", "psc", "organisation"):
            has_value = getattr(self, f"{field}_id") is not None
            if field in needed and not has_value:
                errors[field] = f"A {self.get_role_display().lower()} needs a {field}."
            elif field not in needed and has_value:
                errors[field] = f"A {self.get_role_display().lower()} has no {field}."
        if errors:
            raise ValidationError(errors)

    def is_active(self, on=None):
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    @property
    def status(self):
        """ "Active", "Ended" or "Starts later", as today."""
        today = timezone.localdate()
        if self.starts_on > today:
            return "Starts later"
        return "Active" if self.is_active(today) else "Ended"


class SecurityEvent(models.Model):
    """One entry of the security log. Never holds a password, code or token: only who, what,
    when and from where, and a small detail dictionary written by our own code."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        RATE_LIMITED = "rate_limited", "Rate limited"
        MFA_ADDED = "mfa_added", "Authenticator added"
        MFA_REMOVED = "mfa_removed", "Authenticator removed"
        MFA_RECOVERY_CODES_RESET = "mfa_codes_reset", "Recovery codes reset"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_RESENT = "invitation_resent", "Invitation resent"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_ENDED = "role_ended", "Role ended"
        ROLE_DATES_CHANGED = "role_dates_changed", "Role dates changed"
        USER_DEACTIVATED = "user_deactivated", "Account deactivated"
        USER_REACTIVATED = "user_reactivated", "Account reactivated"
        TWO_FACTOR_RESET = "two_factor_reset", "Two-factor authentication reset for someone"
        SESSION_ENDED = "session_ended", "Session ended"
        ACCESS_DENIED = "access_denied", "Access denied"
        REPORT_EXPORTED = "report_exported", "Report downloaded"
        UNLOCK_LINK_USED = "unlock_link_used", "Link past a sign-in pause used"
        PUBLIC_NAME_CHANGED = "public_name_changed", "Name on public pages changed"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events"
    )
    email = models.CharField(
        max_length=254, blank=True, help_text="The address given, where no account matched."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        who = self.user or self.email
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {who}"


INVITATION_VALID_FOR = datetime.timedelta(days=7)


def new_nonce():
    return secrets.token_urlsafe(24)


class InvitationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The invitations `user` may see: all for the national team, their regions' for a
        regional lead, none for anyone else."""
        scope = user_scope(user)
        if scope.is_national:
            return self
        return self.filter(region__in=scope.led_region_ids)

    def open(self):
        """Neither accepted nor revoked: pending, or expired and waiting to be resent."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def for_display(self):
        return self.select_related("region", "psc__host", "organisation", "invited_by")


class Invitation(models.Model):
    """An invitation to join with one role. The link in its email carries the id and a nonce,
    signed; resending changes the nonce, so only the latest email's link works."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField("email address")
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The programme region the person joins: the role's region, the PSC's "
        "primary region for a chair, or the region a partner reader was invited for.",
    )
    psc = models.ForeignKey(
        "regions.PatientSafetyCollaborative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="PSC",
    )
    organisation = models.ForeignKey(
        "regions.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ends_on = models.DateField(null=True, blank=True, help_text="The last day of the role.")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_received",
        help_text="The account that accepted it.",
    )
    assignment = models.OneToOneField(
        RoleAssignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    nonce = models.CharField(max_length=64, default=new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(Lower("email"), name="accounts_invitation_email_ci")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>, {self.get_role_display().lower()}"

    @property
    def status(self):
        if self.revoked_at:
            return self.Status.REVOKED
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_open(self):
        return self.status in (self.Status.PENDING, self.Status.EXPIRED)

    @property
    def scope_label(self):
        return self.psc or self.organisation or self.region or ""

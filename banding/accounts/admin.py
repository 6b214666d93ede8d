"""Administrasi: pengguna dan perannya, tim teknis, organisasi pelanggan, token API."""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, ManyToManyField, Model, QuerySet
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from banding.accounts.models import (
    ApiToken,
    CustomerOrganization,
    CustomerRegistration,
    TechnicalTeam,
    User,
)
from banding.accounts.roles import Role
from banding.audit.actions import Action
from banding.audit.log import record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

admin.site.site_header = _("SiBanding — Administrasi")
admin.site.site_title = "SiBanding"
admin.site.index_title = _("Pengguna, peran, tim teknis dan data banding")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: such rows change only through the services, which check
    the SOP and write the audit event."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class Audited:
    """A ModelAdmin mix-in: every addition, change and deletion made in the admin (users and
    their roles, teams, organisations, letterheads) writes its audit event, in the admin's
    own transaction, with what changed as the admin's change message states it. Every admin
    that can write is Audited, read-only, or writes through a service that records the event
    itself (tests/test_admin.py checks it)."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _audit(request, Action.ADMIN_RECORD_ADDED, [obj], "menambahkan", message)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _audit(request, Action.ADMIN_RECORD_CHANGED, [obj], "mengubah", message)
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        _audit(request, Action.ADMIN_RECORD_DELETED, list(queryset), "menghapus", "")
        return super().log_deletions(request, queryset)  # type: ignore[misc]


def _audit(
    request: HttpRequest, action: Action, objs: list[Model], verb: str, message: Any
) -> None:
    actor = request.user if isinstance(request.user, User) else None
    # The change and delete views run in a transaction; the changelist's bulk delete does not.
    with transaction.atomic():
        for obj in objs:
            meta = obj._meta
            record(
                action=action,
                actor=actor,
                summary=f"Administrator {verb} {meta.verbose_name} «{obj}»",
                data={
                    "model": meta.label_lower,
                    "pk": obj.pk,
                    "object": str(obj),
                    "change": message if isinstance(message, list) else str(message or ""),
                },
            )


def column(field: str, label: "StrOrPromise", *, boolean: bool = False) -> Callable[[Model], Any]:
    """A changelist column with an Indonesian header, sortable by `field`: for models whose
    fields carry no verbose name."""

    @admin.display(description=label, ordering=field, boolean=boolean)
    # Any: the column shows whatever the field holds (django-stubs expects only str or bool).
    def show(obj: Model) -> Any:
        display = getattr(obj, f"get_{field}_display", None)
        return display() if display else getattr(obj, field)

    show.__name__ = field
    return show


# Django's user forms name django.contrib.auth.models.User; ours is a custom model.
class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class TeamMembershipInline(admin.TabularInline):
    model = TechnicalTeam.members.through
    extra = 0
    verbose_name = _("keanggotaan tim teknis")
    verbose_name_plural = _("keanggotaan tim teknis")


def _roles_described() -> str:
    return gettext(
        "Peran adalah grup: %(roles)s. Hanya administrator yang perlu status staf (akses "
        "halaman ini)."
    ) % {"roles": ", ".join(f"{r.value} = {r.label}" for r in Role)}


@admin.register(User)
class UserAdmin(Audited, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Data pribadi"),
            {"fields": ("first_name", "last_name", "email", "phone", "nip", "position")},
        ),
        (
            _("Pelanggan"),
            {
                "fields": ("organization",),
                "description": _(
                    "Isi hanya untuk narahubung pelanggan; pegawai Balai dikosongkan."
                ),
            },
        ),
        (
            _("Peran dan hak akses"),
            {
                "fields": ("is_active", "groups", "is_staff", "is_superuser"),
                "description": lazy(_roles_described, str)(),
            },
        ),
        (_("Tanggal penting"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Data pribadi"), {"fields": ("first_name", "last_name", "email", "nip", "position")}),
        (_("Pelanggan"), {"fields": ("organization",)}),
        (_("Peran"), {"fields": ("groups",)}),
    )
    inlines = [TeamMembershipInline]
    list_display = (
        "username",
        "full_name",
        "nip",
        "position",
        "organization",
        "role_names",
        "is_active",
    )
    list_filter = ("groups", "technical_teams", "organization", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "nip", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    filter_horizontal = ("groups",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("nama lengkap"), ordering="first_name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description=_("peran"))
    def role_names(self, user: User) -> str:
        labels = dict(Role.choices)
        names = [str(labels.get(g.name, g.name)) for g in user.groups.all()]
        if user.is_superuser and str(Role.ADMIN.label) not in names:
            names.append(str(Role.ADMIN.label))
        return ", ".join(names) or (gettext("Pelanggan") if user.organization_id else "—")


@admin.register(CustomerOrganization)
class CustomerOrganizationAdmin(Audited, admin.ModelAdmin):
    list_display = ("name", "email", "phone", "contact_count", "created_at")
    search_fields = ("name", "email")
    readonly_fields = ("public_id", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CustomerOrganization]:
        return super().get_queryset(request).annotate(contact_total=Count("contacts"))

    @admin.display(description=_("narahubung"), ordering="contact_total")
    def contact_count(self, org: CustomerOrganization) -> int:
        return org.contact_total  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(TechnicalTeam)
class TechnicalTeamAdmin(Audited, admin.ModelAdmin):
    list_display = ("name", "code", "member_count")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    filter_horizontal = ("members",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TechnicalTeam]:
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("anggota"), ordering="member_total")
    def member_count(self, team: TechnicalTeam) -> int:
        return team.member_total  # type: ignore[attr-defined]  # annotated by get_queryset

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        if db_field.name == "members":
            # Only institute staff join a technical team, never a customer's contact.
            kwargs["queryset"] = User.objects.filter(organization__isnull=True).order_by(
                "first_name", "last_name", "username"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__username", "hint")
    list_select_related = ("user",)
    exclude = ("key_hash",)


@admin.register(CustomerRegistration)
class CustomerRegistrationAdmin(ReadOnlyAdmin):
    """Decided on the staff page (/akun/pendaftaran/), which writes the audit event and
    tells the registrant; shown here for reference."""

    list_display = (
        "registrant",
        "email",
        "organization_name",
        "organization",
        "status",
        "created_at",
        "email_verified_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", ("email_verified_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "user__first_name", "organization_name", "organization__name")
    list_select_related = ("user", "organization", "decided_by")

    @admin.display(description=_("pendaftar"), ordering="user__first_name")
    def registrant(self, registration: CustomerRegistration) -> str:
        return registration.user.display_name

    @admin.display(description=_("surel"), ordering="user__email")
    def email(self, registration: CustomerRegistration) -> str:
        return registration.user.email


def _audit_registered(*models: type[Model]) -> None:
    """Re-register the admins other packages bring (roles are auth groups; unlocking a
    locked-out login deletes an axes row) with the audit mix-in."""
    for model in models:
        current = admin.site.get_model_admin(model)
        admin.site.unregister(model)
        admin.site.register(model, type(type(current).__name__, (Audited, type(current)), {}))


_audit_registered(Group, AccessAttempt, AccessFailureLog, AccessLog)

"""Accounts, clusters, partners and role assignments in the admin.

Every permission here is asked per object through ``rules`` (``people/rules.py``), and every
change goes through ``people.services``, which checks the same rules again and writes the audit
entry. A beheerder sees neither the fields that make someone an administrator nor a way to set
another person's password: they send a link instead."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Cluster, Partner, Rol, Roltoewijzing, User, normalise_email


class ObjectPermissionsMixin:
    """Ask ``rules`` with the object, not only with the model (Django's default)."""

    def _perm(self, action):
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("view"), obj) or self.has_change_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("change"), obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm(self._perm("delete"), obj)


def _rol_choices(user):
    """The roles ``user`` may hand out: the beheerder role only by a superuser."""
    choices = list(Rol.choices)
    if not user.has_perm("people.grant_privileges"):
        choices = [(value, label) for value, label in choices if value != Rol.BEHEERDER]
    return choices


class RoltoewijzingForm(forms.ModelForm):
    """A role assignment; ``actor`` limits the roles on offer and is checked per row."""

    actor = None

    class Meta:
        model = Roltoewijzing
        fields = ["user", "rol", "werkgebied", "gebied", "cluster", "geldig_vanaf", "geldig_tot"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.actor is not None and "rol" in self.fields:
            allowed = _rol_choices(self.actor)
            if self.instance.pk and self.instance.rol not in dict(allowed):
                # A row this actor may not touch stays visible but cannot be changed.
                for field in self.fields.values():
                    field.disabled = True
            else:
                self.fields["rol"].choices = [("", "---------"), *allowed]

    def clean(self):
        data = super().clean()
        if (
            self.actor is not None
            and data.get("rol") == Rol.BEHEERDER
            and not self.actor.has_perm("people.grant_privileges")
        ):
            self.add_error("rol", _("Alleen een superuser kan de rol beheerder toekennen."))
        return data


def _form_for(actor, base=RoltoewijzingForm):
    return type(base.__name__, (base,), {"actor": actor})


class RoltoewijzingInline(admin.TabularInline):
    model = Roltoewijzing
    form = RoltoewijzingForm
    extra = 0
    autocomplete_fields = ["werkgebied", "gebied", "cluster"]

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = _form_for(request.user)
        return super().get_formset(request, obj, **kwargs)

    # The parent account decides: whoever may change the account may manage its roles
    # (each row is checked again by the service when saved).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("people.view_roltoewijzing")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("people.change_user", obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("people.change_user", obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("people.change_user", obj)


class BeheerderUserCreationForm(forms.ModelForm):
    """A new account made by a beheerder: no password. The person sets their own through the
    link the portal mails them."""

    class Meta:
        model = User
        fields = ["email", "naam"]

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email


class UserChangeForm(DjangoUserChangeForm):
    class Meta(DjangoUserChangeForm.Meta):
        model = User

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Er bestaat al een account met dit e-mailadres."))
        return email


@admin.register(User)
class UserAdmin(ObjectPermissionsMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "naam", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "naam"]
    form = UserChangeForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("naam",)}),
        (
            _("Rechten"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    beheerder_fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Persoon"), {"fields": ("naam",)}),
        (_("Account"), {"fields": ("is_active",)}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "naam", "password1", "password2")}),
    )
    beheerder_add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "naam")}),)
    inlines = [RoltoewijzingInline]
    actions = ["send_password_link"]

    def _privileged(self, request):
        return request.user.has_perm("people.grant_privileges")

    def get_fieldsets(self, request, obj=None):
        if self._privileged(request):
            return super().get_fieldsets(request, obj)
        if obj is None:
            return self.beheerder_add_fieldsets
        return self.beheerder_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ("last_login", "date_joined")
        if obj is not None and not request.user.has_perm("people.change_email", obj):
            readonly += ("email",)
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not self._privileged(request):
            kwargs["form"] = BeheerderUserCreationForm
            kwargs["fields"] = ["email", "naam"]
            return admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        return super().get_form(request, obj, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None and not request.user.has_perm("people.set_password", user):
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                services.password_set_by_admin(actor=request.user, user=user)
        return response

    def save_model(self, request, obj, form, change):
        created = not change
        without_password = created and not self._privileged(request)
        if without_password:
            obj.set_unusable_password()
        services.user_save(
            actor=request.user,
            user=obj,
            changed_fields=list(form.changed_data),
            created=created,
            save=lambda: super(UserAdmin, self).save_model(request, obj, form, change),
        )
        if without_password:
            services.password_link_send(actor=request.user, user=obj)

    def delete_model(self, request, obj):
        services.user_delete(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(actor=request.user, user=user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Roltoewijzing:
            return super().save_formset(request, form, formset, change)
        for assignment in formset.save(commit=False):
            services.roltoewijzing_save(actor=request.user, assignment=assignment)
        for assignment in formset.deleted_objects:
            services.roltoewijzing_delete(actor=request.user, assignment=assignment)

    @admin.action(description=_("Link sturen om het wachtwoord (opnieuw) in te stellen"))
    def send_password_link(self, request, queryset):
        sent = 0
        for user in queryset:
            if user.is_active and request.user.has_perm("people.change_user", user):
                services.password_link_send(actor=request.user, user=user)
                sent += 1
        self.message_user(
            request,
            ngettext("%(n)d link verstuurd.", "%(n)d links verstuurd.", sent) % {"n": sent},
            messages.SUCCESS if sent else messages.WARNING,
        )


@admin.register(Roltoewijzing)
class RoltoewijzingAdmin(ObjectPermissionsMixin, admin.ModelAdmin):
    form = RoltoewijzingForm
    list_display = ["user", "rol", "werkgebied", "gebied", "cluster", "geldig_vanaf", "geldig_tot"]
    list_filter = ["rol", "cluster", "gebied"]
    list_select_related = ["user", "werkgebied", "gebied", "cluster"]
    search_fields = ["user__email", "user__naam", "werkgebied__naam"]
    autocomplete_fields = ["user", "werkgebied", "gebied", "cluster"]

    def has_add_permission(self, request):
        return request.user.has_perm("people.add_roltoewijzing")

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = _form_for(request.user)
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        services.roltoewijzing_save(actor=request.user, assignment=obj)

    def delete_model(self, request, obj):
        services.roltoewijzing_delete(actor=request.user, assignment=obj)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.roltoewijzing_delete(actor=request.user, assignment=assignment)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["naam", "slug"]
    search_fields = ["naam"]
    prepopulated_fields = {"slug": ["naam"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["naam", "soort"]
    list_filter = ["soort"]
    search_fields = ["naam"]
    prepopulated_fields = {"slug": ["naam"]}

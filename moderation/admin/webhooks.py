"""Admin for webhooks (configured here; each change logged, never deleted: deliveries refer
to them, so one is turned off instead) and their deliveries (view-only: what was sent and
how each try went)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from ..audit import record
from ..models import Webhook, WebhookDelivery
from ..webhook_models import EVENT_CHOICES
from .records import ViewOnlyAdmin

KINDS = {kind for kind, _ in EVENT_CHOICES}


class WebhookForm(ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https", help_text="Where to POST.")

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "active"]

    def clean_events(self):
        events = self.cleaned_data["events"] or []
        if not isinstance(events, list) or not set(events) <= KINDS:
            raise ValidationError(
                'A list of event names, e.g. ["case.opened", "case.resolved"], from: '
                + ", ".join(sorted(KINDS))
            )
        return events


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ["name", "url", "active", "created"]
    list_filter = ["active"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        shown = {f: getattr(obj, f) for f in ("name", "url", "events", "active")}
        record(request.user, "webhook_saved", after={"webhook": obj.pk, **shown})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ViewOnlyAdmin):
    list_display = ["created", "webhook", "kind", "status", "attempts", "response_status"]
    list_filter = ["status", "kind", "webhook"]
    readonly_fields = [
        "webhook", "event", "kind", "status", "attempts", "response_status", "last_error",
        "created", "last_attempt_at", "next_attempt_at", "delivered_at", "body",
    ]  # fmt: skip
    raw_id_fields = ["event"]

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagReason, HideReason, ModerationAction

PUBLISHED_HIDE_REASONS = [
    (value, label) for value, label in HideReason.choices if value != HideReason.AUTHOR_BLOCKED
]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Details for the moderators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkActionForm(forms.Form):
    HIDE, RESTORE, DISMISS = "hide", "restore", "dismiss"
    ACTIONS = [
        (HIDE, _("Hide with the reason below")),
        (RESTORE, _("Restore (show again)")),
        (DISMISS, _("Dismiss the flags (nothing wrong)")),
    ]

    items = forms.TypedMultipleChoiceField(
        label=_("Items"), coerce=int, error_messages={"required": _("Select at least one item.")}
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason for hiding (shown to the public)"),
        choices=[("", _("Choose a reason"))] + PUBLISHED_HIDE_REASONS,
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the log (not public)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(pk, pk) for pk in item_ids]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.HIDE and not cleaned.get("reason"):
            self.add_error("reason", _("Choose the reason to show in place of the hidden items."))
        return cleaned


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the block"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the moderation log. Everything the person wrote is hidden until "
            "the block is lifted."
        ),
    )


class UnblockForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the log"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LogFilterForm(forms.Form):
    actor = forms.TypedChoiceField(
        label=_("Moderator"), coerce=int, required=False, empty_value=None
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("All actions"))] + list(ModerationAction.Action.choices),
    )

    def __init__(self, *args, actors=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("All moderators"))] + [
            (actor.pk, actor.public_name) for actor in actors
        ]

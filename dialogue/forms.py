from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import max_length


class CommentForm(forms.Form):
    """The text only; the services check everything else and report text problems here."""

    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # emptiness is reported by the service, with the same message
        strip=False,
        help_text=_("Plain text; *emphasis*, **bold**, [links](https://…), lists and > quotes."),
    )
    as_official = forms.BooleanField(label=_("Answer on behalf of my agency"), required=False)

    def __init__(self, *args, allow_official: bool = False, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_official:
            del self.fields["as_official"]
        self.max_length = max_length()
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)

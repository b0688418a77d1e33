from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from .services import max_length


def organisations_of(user) -> list[Organisation]:
    """The verified organisations `user` may comment for (one query; none if anonymous)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Organisation.objects.filter(members=user, verified_at__isnull=False).order_by("name")
    )


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
    organisation = forms.ModelChoiceField(
        label=_("Post as"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        widget=forms.RadioSelect,
        help_text=_("A verified organisation you belong to can speak in its own name."),
    )

    def __init__(
        self,
        *args,
        allow_official: bool = False,
        prefix_id: str = "",
        user=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not allow_official:
            del self.fields["as_official"]
        organisations = organisations_of(user)
        if organisations:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in organisations]
            )
            self.fields["organisation"].choices = [
                ("", _("Myself")),
                *((organisation.pk, organisation.name) for organisation in organisations),
            ]
        else:
            del self.fields["organisation"]
        self.max_length = max_length()
        if prefix_id:
            self.auto_id = f"{prefix_id}-%s"


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)

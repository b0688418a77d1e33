from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .regions import Region


class ProfileSignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls `signup` after saving)."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        required=False,
        help_text=_("Shown next to what you write. Your email address is never shown."),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("— choose your region —")), *Region.choices],
        required=False,
    )

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.region = self.cleaned_data.get("region", "")
        user.save(update_fields=["display_name", "region"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "first_name", "last_name", "region"]
        labels = {
            "display_name": _("Display name"),
            "first_name": _("First name"),
            "last_name": _("Surname"),
            "region": _("Region"),
        }
        help_texts = {
            "first_name": _("Petitions show signers as first name and surname initial."),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(label=_("I understand that this cannot be undone."), required=True)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

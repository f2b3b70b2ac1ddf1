from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, Preference


class PreferenceForm(forms.ModelForm):
    """Whether to receive notices by e-mail, and which ones."""

    by_email = forms.MultipleChoiceField(
        label=_("Avisos que quiero recibir también por correo"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Preference
        fields = ["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        muted = set(self.instance.muted or [])
        self.fields["by_email"].initial = [k for k in Kind.values if k not in muted]

    def save(self, commit=True):
        preference = super().save(commit=False)
        chosen = set(self.cleaned_data["by_email"])
        preference.muted = [k for k in Kind.values if k not in chosen]
        if commit:
            preference.save()
        return preference

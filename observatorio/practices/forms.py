from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CRITERIA, CRITERIA_LABELS, Mark, PracticeRating


class RatingForm(forms.ModelForm):
    """A rater's five marks, each known mark with its justification."""

    class Meta:
        model = PracticeRating
        fields = [f for key in CRITERIA for f in (f"{key}_mark", f"{key}_justification")]
        widgets = {
            **{f"{key}_mark": forms.RadioSelect for key in CRITERIA},
            **{f"{key}_justification": forms.Textarea(attrs={"rows": 3}) for key in CRITERIA},
        }

    def clean(self):
        cleaned = super().clean()
        for key in CRITERIA:
            mark = cleaned.get(f"{key}_mark")
            text = (cleaned.get(f"{key}_justification") or "").strip()
            if mark in (Mark.MEETS, Mark.FAILS) and not text:
                self.add_error(
                    f"{key}_justification",
                    _("Justifique la marca del criterio «%(criterion)s».")
                    % {"criterion": CRITERIA_LABELS[key]},
                )
        return cleaned

    def criteria(self):
        """Pairs of bound fields, one pair per criterion, for the template."""
        return [
            (CRITERIA_LABELS[key], self[f"{key}_mark"], self[f"{key}_justification"])
            for key in CRITERIA
        ]

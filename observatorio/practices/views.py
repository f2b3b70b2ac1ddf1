"""Rating good practices: the rater's form and the panel's view with agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import permissions
from .forms import RatingForm
from .models import CRITERIA, CRITERIA_LABELS, GoodPractice, Mark, agreement, panel_marks


@login_required
def ratings(request, pk):
    """Show every rater's marks, the panel's majority marks and the agreement."""
    decision = permissions.can(request.user, "view_ratings")
    if not decision:
        raise PermissionDenied(decision.reason)
    practice = get_object_or_404(GoodPractice.objects.select_related("state", "region"), pk=pk)
    rating_list = list(permissions.visible(request.user, practice.ratings.select_related("rater")))
    panel = panel_marks(rating_list) if rating_list else {}
    measured = agreement(rating_list)
    rows = [
        {
            "label": CRITERIA_LABELS[key],
            "practice_mark": Mark(getattr(practice, f"{key}_mark")).label,
            "panel_mark": Mark(panel[key]).label if panel else "",
            "marks": [Mark(getattr(r, f"{key}_mark")).label for r in rating_list],
            "agreement": measured.per_criterion[key],
        }
        for key in CRITERIA
    ]
    return render(
        request,
        "practices/ratings.html",
        {
            "practice": practice,
            "ratings": rating_list,
            "rows": rows,
            "agreement": measured,
            "may_rate": permissions.can(request.user, "rate", practice),
        },
    )


@login_required
def rate(request, pk):
    """Let a rater give or change their five marks for a practice."""
    practice = get_object_or_404(GoodPractice.objects.select_related("state"), pk=pk)
    decision = permissions.can(request.user, "rate", practice)
    if not decision:
        raise PermissionDenied(decision.reason)
    instance = practice.ratings.filter(rater=request.user).first()
    form = RatingForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            rating = form.save(commit=False)
            rating.practice = practice
            rating.rater = request.user
            rating.save()
            # Imported practices keep the marks their source printed; the marks
            # of practices documented here come from the raters.
            if practice.source_id is None:
                practice.apply_ratings()
        messages.success(request, _("Se guardó su evaluación."))
        return redirect("practices:ratings", pk=practice.pk)
    return render(request, "practices/rate.html", {"practice": practice, "form": form})

"""URLs of the completeness pages (see views_completeness.py)."""

app_name = "completeness"

urlpatterns: list = []

"""URLs of the reports pages (see views_reports.py)."""

app_name = "reports"

urlpatterns: list = []

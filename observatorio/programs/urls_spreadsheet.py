"""URLs of the spreadsheet pages (see views_spreadsheet.py)."""

app_name = "spreadsheet"

urlpatterns: list = []

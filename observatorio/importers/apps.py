from django.apps import AppConfig


class ImportersConfig(AppConfig):
    # No models (the provenance models are in observatorio.sources): nothing of this app
    # is shown in the admin, so it needs no verbose name.
    name = "observatorio.importers"

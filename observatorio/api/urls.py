"""``/api/``: the v1 endpoints, the OpenAPI schema and its documentation page."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import assist, coordination, docs, indicators, registry, views

app_name = "api"

router = SimpleRouter()
router.register("programs", views.ProgramViewSet, basename="program")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("states", views.StateViewSet, basename="state")
router.register("regions", views.RegionViewSet, basename="region")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("populations", views.PopulationViewSet, basename="population")
router.register("practices", views.PracticeViewSet, basename="practice")
router.register("cycles", views.CycleViewSet, basename="cycle")
router.register("indicators", indicators.IndicatorViewSet, basename="indicator")
for prefix, viewset, basename in (*coordination.ROUTES, *registry.ROUTES):
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path(
        "v1/suggest/objectives/", assist.SuggestObjectivesView.as_view(), name="suggest-objectives"
    ),
    path("v1/programs/similar/", assist.SimilarToTextView.as_view(), name="programs-similar"),
    re_path(
        r"^v1/programs/(?P<pk>[0-9]{1,18})/similar/$",
        assist.SimilarToProgramView.as_view(),
        name="program-similar",
    ),
    path("v1/", include(router.urls)),
    path("v1/coverage/", views.CoverageView.as_view(), name="coverage"),
    re_path(
        r"^v1/indicators/(?P<code>[-a-z0-9_]{1,60})/values/$",
        indicators.IndicatorValueViewSet.as_view({"post": "create"}),
        name="indicator-values",
    ),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", docs.docs_page, name="docs"),
    # Anything else under /api/ answers a JSON 404 (not the site's HTML page).
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]

"""URLs of the coordination pages, under /coordinacion/: (address, view, name)."""

from django.urls import path

from . import views, views_followup

app_name = "coordination"

PAGES = (
    ("", views.body_list, "bodies"),
    ("organos/nuevo/", views.body_form, "body_new"),
    ("organos/<slug:key>/", views.body_page, "body"),
    ("organos/<slug:key>/editar/", views.body_form, "body_edit"),
    ("organos/<slug:key>/calendario.ics", views.body_calendar, "body_calendar"),
    ("organos/<slug:key>/integrantes/nuevo/", views.member_form, "member_new"),
    ("organos/<slug:key>/historia/nuevo/", views.event_form, "event_new"),
    ("organos/<slug:key>/sesiones/nueva/", views.session_form, "session_new"),
    ("organos/<slug:key>/acuerdos/nuevo/", views_followup.agreement_form, "agreement_new"),
    ("integrantes/<int:pk>/editar/", views.member_form, "member_edit"),
    ("integrantes/<int:pk>/terminar/", views.member_end, "member_end"),
    ("sesiones/<int:pk>/", views.session_page, "session"),
    ("sesiones/<int:pk>/editar/", views.session_form, "session_edit"),
    ("sesiones/<int:pk>/acta/", views.minutes, "minutes"),
    ("archivos/<int:pk>/", views.stored_file, "file"),
    ("acuerdos/", views_followup.agreement_list, "agreements"),
    ("acuerdos/<int:pk>/", views_followup.agreement_page, "agreement"),
    ("acuerdos/<int:pk>/editar/", views_followup.agreement_form, "agreement_edit"),
    ("acuerdos/<int:pk>/notas/", views_followup.agreement_note, "agreement_note"),
    ("solicitudes/", views_followup.request_list, "requests"),
    ("solicitudes/nueva/", views_followup.request_form, "request_new"),
    ("solicitudes/<int:pk>/", views_followup.request_page, "request"),
    (
        "solicitudes/<int:pk>/responder/<str:state>/",
        views_followup.request_answer,
        "request_answer",
    ),
    ("solicitudes/<int:pk>/cerrar/", views_followup.request_close, "request_close"),
    ("respuestas/<int:pk>/revisar/", views_followup.answer_review, "answer_review"),
    ("entidades/<slug:slug>/", views_followup.state_page, "state"),
    ("entidades/<slug:slug>/pasos/<int:step>/", views_followup.step_save, "step"),
    ("entidades/<slug:slug>/modelo/nuevo/", views_followup.point_form, "point_new"),
    ("entidades/<slug:slug>/modelo/<int:pk>/", views_followup.point_form, "point_edit"),
    ("entidades/<slug:slug>/propuestas/nueva/", views_followup.proposal_form, "proposal_new"),
    ("entidades/<slug:slug>/propuestas/<int:pk>/", views_followup.proposal_form, "proposal_edit"),
)

urlpatterns = [path(route, view, name=name) for route, view, name in PAGES]

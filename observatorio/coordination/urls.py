"""URLs of the coordination pages, under /coordinacion/."""

from django.urls import path

from . import views, views_followup

app_name = "coordination"

urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("organos/nuevo/", views.body_form, name="body_new"),
    path("organos/<slug:key>/", views.body_page, name="body"),
    path("organos/<slug:key>/editar/", views.body_form, name="body_edit"),
    path("organos/<slug:key>/calendario.ics", views.body_calendar, name="body_calendar"),
    path("organos/<slug:key>/integrantes/nuevo/", views.member_form, name="member_new"),
    path("organos/<slug:key>/historia/nuevo/", views.event_form, name="event_new"),
    path("organos/<slug:key>/sesiones/nueva/", views.session_form, name="session_new"),
    path("organos/<slug:key>/acuerdos/nuevo/", views_followup.agreement_form, name="agreement_new"),
    path("integrantes/<int:pk>/editar/", views.member_form, name="member_edit"),
    path("integrantes/<int:pk>/terminar/", views.member_end, name="member_end"),
    path("sesiones/<int:pk>/", views.session_page, name="session"),
    path("sesiones/<int:pk>/editar/", views.session_form, name="session_edit"),
    path("sesiones/<int:pk>/acta/", views.minutes, name="minutes"),
    path("archivos/<int:pk>/", views.stored_file, name="file"),
    path("acuerdos/", views_followup.agreement_list, name="agreements"),
    path("acuerdos/<int:pk>/", views_followup.agreement_page, name="agreement"),
    path("acuerdos/<int:pk>/editar/", views_followup.agreement_form, name="agreement_edit"),
    path("acuerdos/<int:pk>/notas/", views_followup.agreement_note, name="agreement_note"),
    path("solicitudes/", views_followup.request_list, name="requests"),
    path("solicitudes/nueva/", views_followup.request_form, name="request_new"),
    path("solicitudes/<int:pk>/", views_followup.request_page, name="request"),
    path(
        "solicitudes/<int:pk>/responder/<str:state>/",
        views_followup.request_answer,
        name="request_answer",
    ),
    path("solicitudes/<int:pk>/cerrar/", views_followup.request_close, name="request_close"),
    path("respuestas/<int:pk>/revisar/", views_followup.answer_review, name="answer_review"),
    path("entidades/<slug:slug>/", views_followup.state_page, name="state"),
    path("entidades/<slug:slug>/pasos/<int:step>/", views_followup.step_save, name="step"),
    path("entidades/<slug:slug>/modelo/nuevo/", views_followup.point_form, name="point_new"),
    path("entidades/<slug:slug>/modelo/<int:pk>/", views_followup.point_form, name="point_edit"),
    path(
        "entidades/<slug:slug>/propuestas/nueva/", views_followup.proposal_form, name="proposal_new"
    ),
    path(
        "entidades/<slug:slug>/propuestas/<int:pk>/",
        views_followup.proposal_form,
        name="proposal_edit",
    ),
]

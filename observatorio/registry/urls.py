from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("nueva/", views.register, name="register"),
    path("personas/<uuid:ref>/", views.person, name="person"),
    path("personas/<uuid:ref>/atencion/", views.contact, name="contact"),
    path("personas/<uuid:ref>/canalizar/", views.refer, name="refer"),
    path("personas/<uuid:ref>/familiar/", views.relative, name="relative"),
    path("personas/<uuid:ref>/consentimiento/", views.consent, name="consent"),
    path("personas/<uuid:ref>/corregir/", views.rectify, name="rectify"),
    path("personas/<uuid:ref>/exportar/", views.export, name="export"),
    path("canalizaciones/<int:pk>/", views.referral, name="referral"),
    path("duplicados/", views.duplicates, name="duplicates"),
    path("bitacora/", views.access_log, name="access_log"),
    path("cifras/", views.figures, name="figures"),
]

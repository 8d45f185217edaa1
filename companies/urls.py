from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("bedrijven/", views.CompanyListView.as_view(), name="company-list"),
    path("bedrijven/<slug:slug>/", views.CompanyDetailView.as_view(), name="company-detail"),
]

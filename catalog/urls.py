from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/<str:identifier>/", views.item_detail, name="item"),
    path("collections/<slug:identifier>/", views.collection_detail, name="collection"),
    path("authorities/<str:kind>/<slug:slug>/", views.authority_detail, name="authority"),
]

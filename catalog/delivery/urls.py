from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("files/<int:pk>/<str:role>/<str:name>", views.stored_file, name="file"),
]

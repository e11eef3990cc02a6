from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import finding_aid, views
from .sitemaps import SITEMAPS

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.browse, name="browse"),
    path("items/export.csv", views.export_csv, name="export-csv"),
    path("items/<str:identifier>/", views.item_detail, name="item"),
    path("items/<str:identifier>/item.jsonld", views.item_jsonld, name="item-jsonld"),
    path("items/<str:identifier>/citation.ris", views.item_ris, name="item-ris"),
    path("items/<str:identifier>/citation.bib", views.item_bibtex, name="item-bibtex"),
    path("items/<str:identifier>/tree/", views.unit_tree, name="unit-tree"),
    path("items/<str:identifier>/finding-aid/", views.printable_finding_aid, name="printable-finding-aid"),
    path("items/<str:identifier>/finding-aid.<str:format>.xml", finding_aid.download, name="finding_aid"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:identifier>/", views.collection_detail, name="collection"),
    path("authorities/<str:kind>/<slug:slug>/", views.authority_detail, name="authority"),
    path(
        "sitemap.xml", sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "catalog:sitemap-section"}, name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]

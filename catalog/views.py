"""The public site. Views parse the request, ask a queryset, and render; nothing more."""
from django.shortcuts import get_object_or_404, render

from .models import Authority, Collection, Item


def home(request):
    items = Item.objects.published().order_by("-created")[:12]
    return render(request, "catalog/home.html", {"items": items})


def item_detail(request, identifier):
    item = get_object_or_404(
        Item.objects.visible_to(request.user).with_description(), identifier=identifier
    )
    return render(request, "catalog/item_detail.html", {"item": item})


def collection_detail(request, identifier):
    collection = get_object_or_404(Collection, identifier=identifier)
    items = Item.objects.visible_to(request.user).filter(collections__in=collection.descendants_and_self()).distinct()
    return render(request, "catalog/collection_detail.html", {"collection": collection, "items": items})


def authority_detail(request, kind, slug):
    authority = get_object_or_404(Authority, kind=kind, slug=slug)
    items = Item.objects.visible_to(request.user).filter(statements__authority=authority).distinct()
    return render(request, "catalog/authority_detail.html", {"authority": authority, "items": items})

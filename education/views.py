"""Pages for reading: the home page and, later, the articles."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The front door: the self-check and what to read. Template: ``education/home.html``."""
    return render(request, "education/home.html")

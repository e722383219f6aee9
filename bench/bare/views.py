from django import forms
from django.db.migrations.recorder import MigrationRecorder
from django.shortcuts import redirect, render

from .models import Notitie


def rijen(request):
    # django_migrations exists in every migrated database, so the bare page needs no table (and
    # no migration) of its own: one ORM query for 20 rows, as a small portal list would do.
    rows = MigrationRecorder.Migration.objects.order_by("id")[:20]
    return render(request, "bare/rijen.html", {"rows": rows})


class NotitieForm(forms.Form):
    tekst = forms.CharField(max_length=5000)


def invoegen(request):
    """The least a form submission costs: CSRF check, a validated form, one INSERT through the
    ORM and a redirect (the pattern of the portal's melding form, without its domain)."""
    if request.method == "POST":
        form = NotitieForm(request.POST)
        if form.is_valid():
            Notitie.objects.create(tekst=form.cleaned_data["tekst"])
            return redirect("rijen")
    else:
        form = NotitieForm()
    return render(request, "bare/invoegen.html", {"form": form})

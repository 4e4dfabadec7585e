"""Each screening's review note so far becomes the first entry of its note history."""

from django.db import migrations


def forwards(apps, schema_editor):
    Screening = apps.get_model("screening", "Screening")
    ReviewNote = apps.get_model("screening", "ReviewNote")
    noted = Screening.objects.exclude(review_note="").order_by("pk")
    batch = []
    for screening in noted.iterator(chunk_size=2000):
        batch.append(
            ReviewNote(
                screening_id=screening.pk,
                author_id=screening.reviewed_by_id,
                at=screening.reviewed_at or screening.created_at,
                text=screening.review_note,
            )
        )
        if len(batch) >= 2000:
            ReviewNote.objects.bulk_create(batch)
            batch = []
    ReviewNote.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    # review_note still holds the latest note: the history is all that goes.
    apps.get_model("screening", "ReviewNote").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0010_review_notes")]

    operations = [migrations.RunPython(forwards, backwards)]

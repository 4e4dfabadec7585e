from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "Education"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from education.models import Article, Reference
        from education.views import forget_reading_pages

        # Not business logic: the reading pages are kept in a cache every app server shares
        # (education/views.py), cleared whenever what they show changes.
        for model in (Article, Reference):
            post_save.connect(forget_reading_pages, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(
                forget_reading_pages, sender=model, dispatch_uid=f"pages-del-{model}"
            )
        m2m_changed.connect(
            forget_reading_pages, sender=Article.related.through, dispatch_uid="pages-related"
        )

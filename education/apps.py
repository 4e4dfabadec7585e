from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "Education"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from education.models import Article, Reference
        from education.pagecache import drop_kept_pages

        # Not business logic: other processes notice a save through the content version
        # within a second (education/pagecache.py); this makes it immediate in this one.
        for model in (Article, Reference):
            post_save.connect(drop_kept_pages, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(drop_kept_pages, sender=model, dispatch_uid=f"pages-del-{model}")
        m2m_changed.connect(
            drop_kept_pages, sender=Article.related.through, dispatch_uid="pages-related"
        )

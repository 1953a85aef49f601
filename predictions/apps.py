from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PredictionsConfig(AppConfig):
    name = "predictions"
    verbose_name = _("Predictions")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from predictions.models import ModelVersion
        from predictions.registry import champion_cache_clear

        post_save.connect(champion_cache_clear, sender=ModelVersion, dispatch_uid="predictions-champion-cache")
        post_delete.connect(champion_cache_clear, sender=ModelVersion, dispatch_uid="predictions-champion-cache-del")

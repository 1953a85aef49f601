from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from analytics.beta import beta_cohort_cache_clear
        from analytics.experiments.definitions import experiments_cache_clear
        from analytics.flags import flags_cache_clear
        from analytics.kick import domain_event_saved
        from analytics.models import BetaMember, Experiment, FeatureFlag

        post_save.connect(domain_event_saved, sender="tracking.DomainEvent", dispatch_uid="analytics-rollups-kick")
        for model, forget in ((Experiment, experiments_cache_clear), (FeatureFlag, flags_cache_clear)):
            name = model._meta.model_name
            post_save.connect(forget, sender=model, dispatch_uid=f"analytics-{name}-cache")
            post_delete.connect(forget, sender=model, dispatch_uid=f"analytics-{name}-cache-del")
            m2m_changed.connect(forget, sender=model.tenants.through, dispatch_uid=f"analytics-{name}-cache-m2m")
        post_save.connect(beta_cohort_cache_clear, sender=BetaMember, dispatch_uid="analytics-betamember-cache")
        post_delete.connect(beta_cohort_cache_clear, sender=BetaMember, dispatch_uid="analytics-betamember-cache-del")

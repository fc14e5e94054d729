from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "openips.governance"
    verbose_name = "Information governance"

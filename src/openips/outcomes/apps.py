from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "openips.outcomes"
    verbose_name = "Outcomes and reporting"

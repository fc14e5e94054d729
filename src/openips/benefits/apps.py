from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "openips.benefits"
    verbose_name = "Benefits counselling"

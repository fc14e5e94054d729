from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "openips.fidelity"
    verbose_name = "Fidelity"

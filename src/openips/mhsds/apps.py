from django.apps import AppConfig


class MhsdsConfig(AppConfig):
    name = "openips.mhsds"
    verbose_name = "MHSDS extract"

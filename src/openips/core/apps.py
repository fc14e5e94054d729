from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openips.core"
    verbose_name = "Core"

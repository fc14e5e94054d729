from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "openips.casework"
    verbose_name = "Casework"

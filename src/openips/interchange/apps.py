from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "openips.interchange"
    verbose_name = "Interchange format"

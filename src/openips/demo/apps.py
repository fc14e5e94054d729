from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "openips.demo"
    verbose_name = "Demonstration data"

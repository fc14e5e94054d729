from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "openips.record"
    verbose_name = "Client record"

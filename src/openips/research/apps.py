from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "openips.research"
    verbose_name = "Research extracts"

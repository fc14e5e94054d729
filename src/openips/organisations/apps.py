from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openips.organisations"
    verbose_name = "Organisations"
